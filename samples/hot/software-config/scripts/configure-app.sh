#!/bin/sh
# Writes the application's settings onto the data volume before the application starts.
set -eu
mkdir -p /srv/app
cat > /srv/app/settings.ini <<SETTINGS
[app]
listen_port = ${listen_port}
database_url = postgres://app:${db_password}@${db_host}/app
SETTINGS
echo "settings written for ${deploy_server_id}" > "${heat_outputs_path}.result"
