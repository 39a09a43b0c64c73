#!/bin/sh
systemctl enable nginx
systemctl start nginx
