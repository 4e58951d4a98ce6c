#!/usr/bin/env bash
# Regenerates the clock benchmark's phrase (committed so the benchmark needs no TTS engine): espeak-ng speech,
# padded with 0.3 s of silence before and 0.2 s after (the benchmark adds 1.5 s of silence itself), as 16 kHz mono
# PCM16. ClockBenchCommand scripts the simulated STT's transcript to match the words.
set -euo pipefail
cd "$(dirname "$0")"
espeak-ng -v en-us -s 160 -w /tmp/vox-bench.wav "What is the weather like in Paris today?"
sox /tmp/vox-bench.wav -r 16000 -c 1 -b 16 -e signed-integer bench-phrase-16k.wav pad 0.3 0.2
rm -f /tmp/vox-bench.wav
