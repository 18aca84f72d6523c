#!/bin/bash
# Run the release reader on PATH in a 120×35 tmux session and print, every half second,
# the elapsed time, its resident memory and the status bar; `j` is pressed at 3 s (the
# screen must scroll while loading goes on). State goes to a scratch directory.
#
#     N=120 tools/reliability/watch.sh /tmp/huge/big100.txt
set -u
qari=${QARI:-$(dirname "$0")/../../target/release/qari}
T="tmux -L qari-watch"
$T kill-server 2>/dev/null
state=$(mktemp -d)
start=$(date +%s.%N)
$T -f /dev/null new-session -d -x 120 -y 35 "env XDG_DATA_HOME=$state XDG_STATE_HOME=$state $qari $*"
for i in $(seq 1 "${N:-60}"); do
  sleep 0.5
  pid=$(pgrep -n -x qari)
  rss=$(ps -o rss= -p "$pid" 2>/dev/null)
  st=$($T capture-pane -p 2>/dev/null | tail -1 | cut -c1-118)
  now=$(date +%s.%N)
  printf "%5.1fs rss=%6s MB | %s\n" "$(echo "$now - $start" | bc)" $((${rss:-0}/1024)) "$st"
  if [ "$i" = 6 ]; then $T send-keys j; fi
done
$T kill-server
rm -rf "$state"
