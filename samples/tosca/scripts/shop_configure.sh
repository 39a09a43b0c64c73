#!/bin/sh
mkdir -p "$data_dir/uploads"
cat > /etc/nginx/conf.d/shop.conf <<CONF
server {
    listen 8080;
    location $context_root { root /srv/shop; }
}
CONF
