#!/bin/bash
# usage: strace.sh <pid> seconds
timeout $2 strace -c -f -p $1 -o /tmp/prof/strace.txt 2>/dev/null
