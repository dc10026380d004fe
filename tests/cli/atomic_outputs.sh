#!/bin/sh
# Outputs appear whole or not at all (issue 17 item 2). The kill test: the test hook
# GRIDPLAN_TEST_FAIL_AT_SWAP_STEP=N ends gridplan (exit 137, as SIGKILL would) just before step N
# of the swap, for every step of the three ways a set is swapped in: into a new folder (1: rename),
# over an old set with renameat2(RENAME_EXCHANGE) (1: carry the user's files over, 2: exchange,
# 3: remove the old set) and over an old set with the fallback of two renames
# (GRIDPLAN_TEST_SWAP_WITHOUT_EXCHANGE; 1: carry over, 2: old set aside, 3: new set in, 4: remove
# the old set). After each kill the folder holds exactly the old set or exactly the new set
# (sha256 of every file), or — between the two fallback renames only — no folder and the old set
# aside, which the next run restores; a rerun without --force then sees a whole set, and one with
# --force succeeds. A file of the user's in the folder survives every step.
# Then: a symbolic link DIR/csv is refused and not followed; SIGINT one second into
# `gridplan run` on the sample exits 130 and leaves the previous outputs intact, no staging folder
# and no GDAL temporary folder; SIGTERM likewise exits 143.
#   atomic_outputs.sh GRIDPLAN SOURCE_DIR SCRATCH_DIR
set -eu
gp=$1
src=$2
work=$3
tiny=$src/tests/cli/data/tiny.json
rm -rf "$work"
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
manifest() {  # every file of folder $1 with its checksum, relative paths, sorted
    if [ -d "$1" ]; then
        (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
    else
        echo absent
    fi
}
leftovers() {  # staging or old folders beside $1
    ls -A "$(dirname "$1")" | grep -E "^\.$(basename "$1")\.gridplan-(staging|old)-" || true
}

# The two sets: zh (old) and en (new) differ in every CSV header.
"$gp" partition "$tiny" -o "$work/old" --lang zh > /dev/null
"$gp" partition "$tiny" -o "$work/new" --lang en > /dev/null
echo "the user's notes" > "$work/notes.txt"
manifest "$work/old" > "$work/old.sum"
manifest "$work/new" > "$work/new.sum"
cmp -s "$work/old.sum" "$work/new.sum" && { echo "FAIL: the two sets do not differ"; exit 1; }
echo absent > "$work/absent.sum"

check_whole() {  # $1 folder, $2 what: the folder is the old set, the new set or (fresh) absent
    manifest "$1" | grep -v ' ./notes.txt$' > "$work/now.sum" || true
    if cmp -s "$work/now.sum" "$work/old.sum"; then echo old
    elif cmp -s "$work/now.sum" "$work/new.sum"; then echo new
    elif cmp -s "$work/now.sum" "$work/absent.sum"; then echo absent
    else
        echo "$2: a mix of files:" >&2
        diff "$work/old.sum" "$work/now.sum" | head -5 >&2
        echo mixed
    fi
}

kill_at() {  # $1 mode (fresh | exchange | fallback), $2 step
    dir=$work/out_$1_$2
    rm -rf "$dir"
    if [ "$1" != fresh ]; then
        cp -a "$work/old" "$dir"
        cp "$work/notes.txt" "$dir/notes.txt"
    fi
    rc=0
    if [ "$1" = fallback ]; then
        GRIDPLAN_TEST_SWAP_WITHOUT_EXCHANGE=1 GRIDPLAN_TEST_FAIL_AT_SWAP_STEP=$2 \
            "$gp" partition "$tiny" -o "$dir" --force --lang en > /dev/null 2>&1 || rc=$?
    else
        GRIDPLAN_TEST_FAIL_AT_SWAP_STEP=$2 \
            "$gp" partition "$tiny" -o "$dir" --force --lang en > /dev/null 2>&1 || rc=$?
    fi
    [ $rc -eq 137 ] || fail "$1 step $2: exit $rc, not 137 (the hook did not fire)"
    after_kill=$(check_whole "$dir" "$1 step $2, after the kill")
    [ "$after_kill" != mixed ] || fail "$1 step $2: a mix of old and new files after the kill"
    if [ "$after_kill" = absent ] && [ "$1" != fresh ]; then
        # Only between the fallback's two renames: the old set waits aside, whole.
        [ "$1/$2" = fallback/3 ] || fail "$1 step $2: the output folder is gone"
        aside=$(ls -d "$work"/.out_"$1"_"$2".gridplan-old-* 2>/dev/null | head -1)
        [ -n "$aside" ] && [ "$(check_whole "$aside" "$1 step $2, aside")" = old ] ||
            fail "$1 step $2: the old set is not whole beside the folder"
    fi
    # The next run puts right what the kill left, then sees a whole set.
    rc=0
    "$gp" partition "$tiny" -o "$dir" --lang en > "$work/rerun.log" 2>&1 || rc=$?
    after_rerun=$(check_whole "$dir" "$1 step $2, after a rerun without --force")
    [ "$after_rerun" != mixed ] || fail "$1 step $2: a mix of old and new files after a rerun"
    if [ "$after_kill" = absent ] && [ "$1" = fresh ]; then
        [ $rc -eq 0 ] && [ "$after_rerun" = new ] || fail "$1 step $2: rerun exit $rc, $after_rerun"
    else
        [ $rc -eq 3 ] || fail "$1 step $2: rerun without --force: exit $rc, not 3 (refused)"
        [ "$after_rerun" = "$after_kill" ] || [ "$after_kill" = absent ] ||
            fail "$1 step $2: the rerun changed the set ($after_kill -> $after_rerun)"
    fi
    [ -z "$(leftovers "$dir")" ] || fail "$1 step $2: left over after the rerun: $(leftovers "$dir")"
    "$gp" partition "$tiny" -o "$dir" --force --lang en > /dev/null ||
        fail "$1 step $2: rerun with --force failed"
    [ "$(check_whole "$dir" "$1 step $2, after --force")" = new ] ||
        fail "$1 step $2: not the new set after --force"
    if [ "$1" != fresh ]; then
        cmp -s "$dir/notes.txt" "$work/notes.txt" || fail "$1 step $2: the user's file is lost"
    fi
    echo "kill before $1 step $2: after the kill $after_kill, after a rerun $after_rerun"
}

kill_at fresh 1
for step in 1 2 3; do kill_at exchange $step; done
for step in 1 2 3 4; do kill_at fallback $step; done

# No kill: the swap over an old set keeps the user's file and drops nothing else of theirs.
cp -a "$work/old" "$work/whole"
mkdir -p "$work/whole/mine/deep"
echo keep > "$work/whole/mine/deep/file.txt"
ln -s ../notes.txt "$work/whole/link_to_notes"
"$gp" partition "$tiny" -o "$work/whole" --force --lang en > /dev/null
[ "$(cat "$work/whole/mine/deep/file.txt")" = keep ] || fail "a user's folder was not kept"
[ -L "$work/whole/link_to_notes" ] || fail "a user's link was not kept as a link"

# A symbolic link in the way of an output folder is refused, with or without --force, and its
# target is never written to.
mkdir -p "$work/elsewhere"
mkdir -p "$work/linked"
ln -s "$work/elsewhere" "$work/linked/csv"
rc=0
"$gp" partition "$tiny" -o "$work/linked" --force > /dev/null 2> "$work/linked.err" || rc=$?
[ $rc -eq 3 ] || fail "symlink csv/: exit $rc, not 3"
grep -q "symbolic link is in the way" "$work/linked.err" || fail "symlink csv/: $(cat "$work/linked.err")"
[ -z "$(ls -A "$work/elsewhere")" ] || fail "symlink csv/ was followed"
echo "symlink csv/: $(cat "$work/linked.err")"

# Ctrl-C (SIGINT) and SIGTERM one second into a run on the sample.
for signal in INT TERM; do
    dir=$work/interrupted_$signal
    cp -a "$work/old" "$dir"
    rm -rf "$TMPDIR"/*
    "$gp" run "$src/data/monaco.json" -o "$dir" --force > "$work/run_$signal.log" 2>&1 &
    pid=$!
    sleep 1
    kill -$signal $pid
    start=$(date +%s)
    rc=0
    wait $pid || rc=$?
    took=$(($(date +%s) - start))
    expect=130
    [ $signal = TERM ] && expect=143
    [ $rc -eq $expect ] || fail "SIG$signal: exit $rc, not $expect"
    [ $took -le 5 ] || fail "SIG$signal: took $took s to stop"
    [ "$(check_whole "$dir" "SIG$signal")" = old ] || fail "SIG$signal: previous outputs changed"
    [ -z "$(leftovers "$dir")" ] || fail "SIG$signal: left over: $(leftovers "$dir")"
    [ -z "$(ls -A "$TMPDIR")" ] || fail "SIG$signal: left in TMPDIR: $(ls -A "$TMPDIR")"
    echo "SIG$signal after 1 s: exit $rc within $took s; $(tail -1 "$work/run_$signal.log")"
done

if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all steps passed"
