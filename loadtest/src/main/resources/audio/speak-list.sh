# Sourced by the phrase-set scripts (phrases/, backchannels/): speak_list PAD_BEFORE PAD_AFTER reads lines
# "name|espeak voice|words per minute|text" on stdin and writes, in the current directory, name.wav (espeak-ng
# speech, its own leading and trailing silence trimmed, then padded by PAD_BEFORE/PAD_AFTER seconds, 16 kHz mono
# PCM16) and phrases.tsv (file name TAB text), replacing the WAV files that were there.
speak_list() {
  local before="$1" after="$2" tmp name voice wpm text
  tmp=$(mktemp -d)
  rm -f ./*.wav
  : > phrases.tsv
  while IFS='|' read -r name voice wpm text; do
    espeak-ng -v "$voice" -s "$wpm" -w "$tmp/raw.wav" "$text"
    # silence trimmed at both ends (reverse, trim the start, reverse back), then the fixed padding
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$name.wav" \
      silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse pad "$before" "$after"
    printf '%s.wav\t%s\n' "$name" "$text" >> phrases.tsv
  done
  rm -rf "$tmp"
}
