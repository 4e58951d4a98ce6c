#!/usr/bin/env bash
# Regenerates the conversation benchmark's backchannels (committed, like ../phrases): short acknowledgements a caller
# says while the agent talks, which must not interrupt it. espeak-ng with a few voices, silence trimmed, padded with
# 0.1 s each side, 16 kHz mono PCM16. Writes phrases.tsv: file name TAB the words.
# Synthetic speech only: no human recording of backchannels is installable here.
set -euo pipefail
cd "$(dirname "$0")"

# name | espeak voice | words per minute | text
PHRASES=$(cat <<'LIST'
b01-yeah|en-us|160|yeah
b02-okay|en-us+f3|160|okay
b03-mm-hm|en-us+m3|140|mm-hm
b04-uh-huh|en-us+f2|150|uh-huh
b05-right|en-gb|160|right
LIST
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f ./*.wav
: > phrases.tsv
while IFS='|' read -r name voice wpm text; do
  espeak-ng -v "$voice" -s "$wpm" -w "$tmp/raw.wav" "$text"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$name.wav" \
    silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse pad 0.1 0.1
  printf '%s.wav\t%s\n' "$name" "$text" >> phrases.tsv
done <<< "$PHRASES"
