#!/usr/bin/env bash
# Regenerates the synthetic half of the pause set (committed, so nothing needs a TTS engine to use it): sentences
# with one or two pauses inside them, said by espeak-ng (SSML <break>, so the words around a pause keep the
# sentence's intonation), several voices, as 16 kHz mono PCM16 with 0.25 s before and 0.2 s after the speech.
# Writes pauses.tsv: file TAB reference text TAB pauses TAB source (the format PauseSet reads).
#
# The pauses sit where people pause while they think: after an article, a preposition, a conjunction, a comma or a
# filler ("um") — where the turn is obviously not over — and, so that the set does not only hold what the
# end-of-turn rules are good at, after a clause that sounds complete ("I need a taxi. … To the airport, please.").
# Each pause is measured in the output rather than taken from the <break>: espeak-ng adds a little silence of its
# own. A pause is a run of at least 250 ms of 10 ms frames below -50 dBFS inside the speech, written as
# startMs+lengthMs from the start of the file.
set -euo pipefail
cd "$(dirname "$0")"

# name | espeak voice | words per minute | text; {500} is a pause of 500 ms (before espeak-ng adds its own)
SENTENCES=$(cat <<'LIST'
p01-book-a-table|en-us|160|I want to book a {500} table for two tonight.
p02-name-and|en-us+f3|160|My name is Anna and {450} I live in Berlin.
p03-taxi-airport|en-us+f2|160|I need a taxi. {550} To the airport, please.
p04-meet-on|en-us+m3|160|Can we meet on {500} Friday afternoon?
p05-order-um|en-us+f2|155|I would like to order, um, {550} a large pizza.
p06-rains-comma|en-us|160|If it rains tomorrow, {500} we will stay at home.
p07-weather-then|en-us+m3|160|The weather was nice. {450} Then it started raining.
p08-hotel-two-pauses|en-gb|160|I am looking for {450} a hotel near the {500} station.
p09-coffee-and|en-us+f2|165|I would like a coffee. {600} And a glass of water.
p10-keys-in|en-us|165|I left my keys {500} in the kitchen.
p11-sister-um|en-us+f2|155|My sister lives in {600} um, {550} Madrid.
p12-thanks-that|en-us+f2|160|Thank you. {550} That is all for today.
p13-flight-to|en-gb|160|What time does the flight {500} to London leave?
LIST
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f ./*.wav
{
  echo "# The synthetic half of the pause set, made by make-pauses.sh (espeak-ng + sox). file TAB reference text"
  echo "# TAB pauses (startMs+lengthMs, comma-separated, from the start of the file) TAB source."
} > pauses.tsv
while IFS='|' read -r name voice wpm text; do
  ssml="<speak>$(sed -E 's#\{([0-9]+)\}#<break time="\1ms"/>#g' <<< "$text")</speak>"
  reference=$(sed -E 's# *\{[0-9]+\}##g' <<< "$text")
  espeak-ng -m -v "$voice" -s "$wpm" -w "$tmp/raw.wav" "$ssml"
  # silence trimmed at both ends (reverse, trim the start, reverse back), then the fixed padding; no dither, so
  # the pauses stay digital silence
  sox "$tmp/raw.wav" -D -r 16000 -c 1 -b 16 -e signed-integer "$name.wav" \
    silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse pad 0.25 0.2
  pauses=$(python3 - "$name.wav" <<'PY'
import array, math, sys, wave
w = wave.open(sys.argv[1])
rate = w.getframerate()
samples = array.array('h', w.readframes(w.getnframes()))
frame = rate // 100
quiet = []
for i in range(len(samples) // frame):
    chunk = samples[i * frame:(i + 1) * frame]
    rms = math.sqrt(sum(s * s for s in chunk) / frame) / 32768
    quiet.append(rms < 10 ** (-50 / 20))
first = quiet.index(False)
last = len(quiet) - 1 - quiet[::-1].index(False)
pauses, i = [], first
while i <= last:
    if quiet[i]:
        j = i
        while quiet[j]:
            j += 1
        if (j - i) * 10 >= 250:
            pauses.append(f"{i * 10}+{(j - i) * 10}")
        i = j
    else:
        i += 1
print(",".join(pauses))
PY
)
  wanted=$(grep -o '{' <<< "$text" | wc -l)
  found=$(tr ',' '\n' <<< "$pauses" | grep -c . || true)
  if [ "$found" -ne "$wanted" ]; then
    echo "$name: expected $wanted pause(s), measured '$pauses'" >&2
    exit 1
  fi
  printf '%s.wav\t%s\t%s\tespeak-ng voice %s, %s wpm (make-pauses.sh)\n' "$name" "$reference" "$pauses" "$voice" "$wpm" \
    >> pauses.tsv
done <<< "$SENTENCES"
