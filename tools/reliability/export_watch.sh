#!/bin/bash
# Load PATH (default /tmp/huge/many) in the release reader in tmux, in a scratch folder,
# then time `E` (export every document, brat by default, into ./qari-export) and print the
# peak resident memory while it runs, the files written and their size.
#
#     tools/reliability/export_watch.sh [PATH]
path=${1:-/tmp/huge/many}
qari=${QARI:-$(cd "$(dirname "$0")/../.." && pwd)/target/release/qari}
out=$(mktemp -d)
T="tmux -L qari-export"; $T kill-server 2>/dev/null; st=$(mktemp -d)
cd "$out"
$T -f /dev/null new-session -d -c "$out" -x 140 -y 35 "env XDG_DATA_HOME=$st XDG_STATE_HOME=$st $qari $path 2>$st/err; echo EXIT=\$? > $st/exit; sleep 900"
prev=""; still=0
for i in $(seq 1 300); do sleep 1; n=$($T capture-pane -p | tail -1 | grep -o "source [0-9]*/[0-9]*"); if [ -n "$n" ] && [ "$n" = "$prev" ]; then still=$((still+1)); else still=0; fi; prev=$n; [ "$still" -ge 3 ] && break; done
pid=$(pgrep -n -x qari)
echo "loaded: $prev after $i s, rss $(( $(ps -o rss= -p $pid)/1024 )) MB"
$T send-keys E; s=$(date +%s.%N); peak=0
for i in $(seq 1 1200); do sleep 0.5; r=$(( $(ps -o rss= -p $pid)/1024 )); [ $r -gt $peak ] && peak=$r; l=$($T capture-pane -p | tail -1); echo "$l" | grep -q "exported\|failed" && break; done
echo "E took $(echo "$(date +%s.%N) - $s" | bc) s, peak rss $peak MB: ${l:0:140}"
ls "$out/qari-export" | wc -l; du -sh "$out/qari-export"
$T send-keys q; sleep 3; cat $st/exit
$T kill-server
rm -rf "$out"
