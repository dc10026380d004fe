#!/bin/sh
# A configuration that is a FIFO (issue 17 item 3: it hung the run): refused at once with exit 3
# and "not a regular file (a FIFO)", nothing waiting for a writer.
#   config_fifo.sh GRIDPLAN SCRATCH_DIR
set -u
gp=$1
dir=$2
rm -rf "$dir"
mkdir -p "$dir"
mkfifo "$dir/run.json"
timeout 20 "$gp" inspect "$dir/run.json" > "$dir/out.txt" 2> "$dir/err.txt"
rc=$?
if [ "$rc" -ne 3 ]; then
    echo "exit code $rc, expected 3 (124 = hung until the timeout)"; cat "$dir/err.txt"; exit 1
fi
grep -q "^gridplan: error: reading configuration '.*run.json': not a regular file (a FIFO)" \
    "$dir/err.txt" || { echo "unexpected message:"; cat "$dir/err.txt"; exit 1; }
