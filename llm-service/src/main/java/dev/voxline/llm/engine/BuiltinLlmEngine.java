package dev.voxline.llm.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The built-in offline assistant, for when no language model is connected. Small and deterministic, and honest
 * that it is not a language model: it greets, tells the time and the date (from its clock, in its zone), explains
 * how to connect a real model, and otherwise repeats back what it heard. Its reply streams word by word, the first
 * word at once and then one every {@code wordDelay}. It knows no tokenizer, so it reports no usage.
 */
public final class BuiltinLlmEngine implements LlmEngine {

    public static final String NAME = "builtin";

    static final String INTRO = "I'm Voxline's built-in assistant, not a language model.";
    static final String CONNECT = "To talk to a real model, set VOXLINE_LLM_BASE_URL, VOXLINE_LLM_MODEL and "
            + "VOXLINE_LLM_API_KEY for any OpenAI-compatible server, such as Ollama or vLLM, and choose the openai "
            + "engine.";
    static final String ABILITIES = "I can tell you the time or the date, or how to connect a real model.";

    private static final Pattern GREETING = Pattern.compile(
            "^(hello|hi|hey|hiya|howdy|greetings|good (morning|afternoon|evening))\\b");
    private static final Pattern TIME = Pattern.compile(
            "\\bwhat time\\b|\\bthe time\\b|\\btime is it\\b|\\bcurrent time\\b|^time$");
    private static final Pattern DATE = Pattern.compile(
            "\\bdate\\b|\\bwhat day\\b|\\bwhich day\\b|\\bday is (it|today)\\b|\\bwhat is today\\b");
    private static final Pattern HELP = Pattern.compile(
            "\\bhelp\\b|\\bwhat can you do\\b|\\bwho are you\\b|\\bwhat are you\\b|\\bconnect\\b|\\bmodel\\b"
                    + "|\\bllm\\b|\\bopenai\\b|\\bollama\\b");
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH);
    private static final DateTimeFormatter DATE_FORMAT =
            DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.ENGLISH);

    private final Clock clock;
    private final Duration wordDelay;
    private final Scheduler timer;

    /** {@code clock} carries the zone the time is told in. */
    public BuiltinLlmEngine(Clock clock, Duration wordDelay, Scheduler timer) {
        this.clock = clock;
        this.wordDelay = wordDelay;
        this.timer = timer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Flux<LlmChunk> stream(ChatRequest request, LlmSettings settings) {
        return Flux.defer(() -> {
            List<String> words = SimulatedLlmEngine.tokens(reply(request.lastUserText()));
            if (wordDelay.isZero() || wordDelay.isNegative()) {
                return Flux.fromIterable(words).map(LlmChunk::text);
            }
            return Flux.interval(Duration.ZERO, wordDelay, timer)
                    .onBackpressureBuffer()
                    .take(words.size())
                    .map(i -> LlmChunk.text(words.get(i.intValue())));
        });
    }

    /** The whole reply to what the caller said. */
    public String reply(String heard) {
        String said = heard == null ? "" : heard.strip();
        String normalized = said.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]+", " ").replaceAll("\\s+", " ")
                .strip();
        boolean greeting = GREETING.matcher(normalized).find();
        String hello = greeting ? "Hello! " : "";
        ZonedDateTime now = ZonedDateTime.now(clock);
        if (TIME.matcher(normalized).find()) {
            return hello + "It's " + TIME_FORMAT.format(now) + ".";
        }
        if (DATE.matcher(normalized).find()) {
            return hello + "Today is " + DATE_FORMAT.format(now) + ".";
        }
        if (HELP.matcher(normalized).find()) {
            return hello + INTRO + " " + ABILITIES + " " + CONNECT;
        }
        if (greeting) {
            return "Hello! " + INTRO + " " + ABILITIES;
        }
        if (normalized.isEmpty()) {
            return "I didn't catch that. " + ABILITIES;
        }
        String echo = said.replaceAll("[.!?…]+$", "");
        return "You said: " + echo + ". " + INTRO + " " + ABILITIES;
    }
}
