#!/usr/bin/env bash
# Regenerates the test WAVs (committed so tests need no TTS engine): espeak-ng speech, padded with silence,
# converted to 16 kHz mono PCM16 (and one 48 kHz stereo copy to exercise resampling and downmixing).
set -euo pipefail
cd "$(dirname "$0")"
espeak-ng -v en-us -s 160 -w /tmp/vox-q.wav "What time is it in Paris?"
sox /tmp/vox-q.wav -r 16000 -c 1 -b 16 -e signed-integer question-16k.wav pad 0.5 1.0
espeak-ng -v en-us -s 160 -w /tmp/vox-h.wav "Hello there. How are you today?"
sox /tmp/vox-h.wav -r 16000 -c 1 -b 16 -e signed-integer hello-16k.wav pad 0.5 1.0
rm -f /tmp/vox-q.wav /tmp/vox-h.wav
