#!/usr/bin/env bash
# Regenerates the latency benchmark's spoken phrase set (committed, so the benchmark needs no TTS engine):
# espeak-ng speech with a few voices and speeds (US English mostly), its own leading and trailing silence trimmed,
# then padded with 0.25 s before and 0.2 s after (the client adds 1.5 s of silence itself), as 16 kHz mono PCM16.
# Writes phrases.tsv: file name TAB the reference text (what WER compares the transcript with).
#
# The mix: questions the built-in assistant answers (llm-service BuiltinLlmEngine: greetings, time, date, what it
# can do, who it is, how to connect a model) and ordinary sentences it repeats back. The ordinary sentences avoid
# the words its rules listen for (help, connect, model, date, "the time", "what day" ...). Numbers are spelled as
# words, as Vosk writes them. Voices and wordings were picked so that Vosk (en-us) hears most of them right: espeak
# says some words in a way Vosk does not know (e.g. "What day is it?", "book a table"), which would measure espeak,
# not the pipeline.
set -euo pipefail
cd "$(dirname "$0")"

# name | espeak voice | words per minute | text
PHRASES=$(cat <<'LIST'
q01-hello|en-us|165|Hello there.
q02-hi-how-are-you|en-us+f3|160|Hi, how are you?
q03-good-morning|en-us|155|Good morning.
q04-what-time|en-us|160|What time is it?
q05-tell-me-the-time|en-us|160|Can you tell me the time?
q06-what-day|en-us|160|What day is today?
q07-todays-date|en-us+m3|160|What is the date today?
q08-what-can-you-do|en-us+f2|165|What can you do?
q09-who-are-you|en-us|125|Who are you?
q10-connect-model|en-us+f2|150|How do I connect a language model?
q11-help|en-us+m3|160|Can you help me, please?
q12-hey-what-time|en-us+f2|165|Hey, what time is it now?
q13-know-what-day|en-us+m3|160|Do you know what day it is?
s01-weather|en-us|170|The weather is nice today.
s02-coffee|en-us+f2|170|I would like a cup of coffee.
s03-table|en-us|165|Please reserve a table for two.
s04-battery|en-gb|170|My phone battery is nearly empty.
s05-children|en-us+m3|165|The children are playing in the garden.
s06-keys|en-us|170|I left my keys in the kitchen.
s07-beach|en-us+f3|175|We are going to the beach this weekend.
s08-lights|en-us|170|Turn off the lights in the living room.
s09-meeting|en-us+m3|170|The meeting starts in ten minutes.
s10-color|en-us|160|My favorite color is blue.
s11-reading|en-gb|160|She reads before going to sleep.
s12-window|en-gb|160|Open the window, please.
s13-music|en-us+m3|165|Let's play some music.
s14-thanks|en-us+f3|155|Thank you very much.
LIST
)

# shellcheck source=../speak-list.sh
. ../speak-list.sh
speak_list 0.25 0.2 <<< "$PHRASES"
