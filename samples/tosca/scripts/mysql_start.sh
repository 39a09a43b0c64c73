#!/bin/sh
service mysql start
