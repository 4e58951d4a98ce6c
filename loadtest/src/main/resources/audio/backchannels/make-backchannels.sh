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

# shellcheck source=../speak-list.sh
. ../speak-list.sh
speak_list 0.1 0.1 <<< "$PHRASES"
