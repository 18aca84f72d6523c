#!/bin/bash
# Start the release reader on PATH in a 120×35 tmux session, wait until every source is
# loaded, then search for QUERY and print, every half second, the time since Enter, the
# resident memory and the status bar, until the search is done.
#
#     tools/reliability/search_watch.sh /tmp/huge/many جنيف
set -u
path=$1
query=$2
qari=${QARI:-$(dirname "$0")/../../target/release/qari}
T="tmux -L qari-search"
$T kill-server 2>/dev/null
state=$(mktemp -d)
$T -f /dev/null new-session -d -x 120 -y 35 "env XDG_DATA_HOME=$state XDG_STATE_HOME=$state $qari $path"
# Loaded when the source count in the status bar has not moved for 3 s.
prev=""; still=0
for i in $(seq 1 900); do
  sleep 1
  n=$($T capture-pane -p | tail -1 | grep -o "source [0-9]*/[0-9]*")
  if [ -n "$n" ] && [ "$n" = "$prev" ]; then still=$((still + 1)); else still=0; fi
  prev=$n
  [ "$still" -ge 3 ] && break
done
pid=$(pgrep -n -x qari)
echo "loaded after ${i}s, rss=$(($(ps -o rss= -p "$pid")/1024)) MB"
$T send-keys "/"
sleep 0.3
$T send-keys "$query" Enter
start=$(date +%s.%N)
for i in $(seq 1 1200); do
  sleep 0.5
  st=$($T capture-pane -p | tail -1 | cut -c1-118)
  now=$(date +%s.%N)
  printf "%6.2fs rss=%6s MB | %s\n" "$(echo "$now - $start" | bc)" $(($(ps -o rss= -p "$pid")/1024)) "$st"
  echo "$st" | grep -q "searching" || break
done
$T kill-server
rm -rf "$state"
