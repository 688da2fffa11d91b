#!/bin/bash
# usage: multi.sh runs  -> runs .prof/run.mts N times, prints rps
for i in $(seq 1 $1); do pkill -f "dist/cli/main.js serve"; sleep 0.5; rm -f /tmp/prof/p.db*; node --import tsx /work/main/.prof/run.mts; done
