#!/bin/bash
# Load PATH (default /tmp/huge/many) in the release reader in tmux, open source 502, enter
# annotation mode, go to the first suggestion, then time `Y` (accept every mention of that
# entity in every source) and `u` (undo it), with the resident memory after each.
#
#     tools/reliability/bulk_watch.sh [PATH]
path=${1:-/tmp/huge/many}
qari=${QARI:-$(cd "$(dirname "$0")/../.." && pwd)/target/release/qari}
T="tmux -L qari-bulk"; $T kill-server 2>/dev/null; st=$(mktemp -d)
$T -f /dev/null new-session -d -x 140 -y 35 "env XDG_DATA_HOME=$st XDG_STATE_HOME=$st RUST_BACKTRACE=1 $qari $path 2>$st/err; echo EXIT=\$? > $st/exit; sleep 900"
prev=""; still=0
for i in $(seq 1 300); do sleep 1; n=$($T capture-pane -p | tail -1 | grep -o "source [0-9]*/[0-9]*"); if [ -n "$n" ] && [ "$n" = "$prev" ]; then still=$((still+1)); else still=0; fi; prev=$n; [ "$still" -ge 3 ] && break; done
echo "loaded: $prev after $i s"
step() { $T send-keys "$@"; sleep 1.5; echo "[$*] $($T capture-pane -p | tail -1 | cut -c1-140)"; }
step 502 s
step i
step '}'
pid=$(pgrep -n -x qari)
$T send-keys Y; s=$(date +%s.%N)
for i in $(seq 1 1200); do sleep 0.5; l=$($T capture-pane -p | tail -1); echo "$l" | grep -q "accepted" && break; done
echo "Y took $(echo "$(date +%s.%N) - $s" | bc) s, rss $(( $(ps -o rss= -p $pid)/1024 )) MB: ${l:0:140}"
$T send-keys u; s=$(date +%s.%N)
for i in $(seq 1 1200); do sleep 0.5; l=$($T capture-pane -p | tail -1); echo "$l" | grep -q "undid" && break; done
echo "u took $(echo "$(date +%s.%N) - $s" | bc) s, rss $(( $(ps -o rss= -p $pid)/1024 )) MB: ${l:0:140}"
$T send-keys q; sleep 3; cat $st/exit; head -5 $st/err
$T kill-server
