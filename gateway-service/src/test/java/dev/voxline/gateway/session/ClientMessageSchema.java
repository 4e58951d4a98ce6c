package dev.voxline.gateway.session;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The client messages of docs/protocol.md §4 as generators: every field with its JSON kind, its valid values, and
 * values of the right kind that are out of its range. Valid messages are JSON trees ({@code Map}s, lists, scalars)
 * ready to be written with any JSON mapper.
 */
final class ClientMessageSchema {

    /** The JSON kinds of the protocol's fields. */
    enum Kind { STRING, INTEGER, LONG, NUMBER, BOOLEAN, OBJECT }

    /**
     * One field: {@code outOfRange} is null when every value of its kind is valid; {@code fields} are an object's.
     */
    record Field(String name, Kind kind, boolean required, Arbitrary<Object> valid, Arbitrary<Object> outOfRange,
                 List<Field> fields) {

        Field asRequired() {
            return new Field(name, kind, true, valid, outOfRange, fields);
        }

        Field withOutOfRange(Arbitrary<?> values) {
            return new Field(name, kind, required, valid, values(values), fields);
        }
    }

    /** A field somewhere in a message: its path from the message's top ({@code simulation.llmTtftMs}). */
    record Located(List<String> path, Field field) {

        String dotted() {
            return String.join(".", path);
        }
    }

    /** The {@code text.input} limit the rules under test are built with. */
    static final int MAX_TEXT_CHARS = 50;
    static final int MAX_MS = MessageRules.MAX_DURATION_MS;

    static final Map<String, List<Field>> MESSAGES = messages();

    private ClientMessageSchema() {
    }

    private static Map<String, List<Field>> messages() {
        Map<String, List<Field>> messages = new LinkedHashMap<>();
        messages.put("session.start", List.of(
                sampleRate("inputSampleRate"),
                sampleRate("outputSampleRate"),
                field("vadProfile", Kind.STRING, values(Arbitraries.of(MessageRules.VAD_PROFILES)))
                        .withOutOfRange(anyString().filter(name -> !MessageRules.VAD_PROFILES.contains(name))),
                object("engines", string("vad"), string("stt"), string("llm"), string("tts")),
                string("voice"),
                object("simulation", duration("vadDecisionDelayMs"), duration("sttFinalDelayMs"),
                        duration("llmTtftMs"), rate("llmTokensPerSecond"), duration("ttsTtfbMs"),
                        rate("ttsRealTimeFactor"), string("transcript"), string("reply"), string("fault")),
                object("turnTaking", duration("minInterruptionMs"), duration("minInterruptionWords"),
                        duration("falseInterruptionTimeoutMs"),
                        // min from the lower half, max from the upper: valid ones are always in order.
                        duration("minEndpointingDelayMs", 0, MAX_MS / 2),
                        duration("maxEndpointingDelayMs", MAX_MS / 2, MAX_MS),
                        bool("preemptiveGeneration"), duration("userIdleTimeoutMs"), bool("echoGate")),
                bool("synthetic")));
        messages.put("text.input", List.of(field("text", Kind.STRING, values(Arbitraries.strings().ofMinLength(1)
                .ofMaxLength(MAX_TEXT_CHARS).filter(text -> !text.isBlank()))).asRequired()
                .withOutOfRange(Arbitraries.oneOf(Arbitraries.strings().withChars(" \t\n").ofMaxLength(5),
                        // No surrogates here: every char is a character, so the text is surely too long.
                        Arbitraries.strings().withCharRange('!', '~').withCharRange('À', 'ʯ')
                                .ofMinLength(MAX_TEXT_CHARS + 1).ofMaxLength(3 * MAX_TEXT_CHARS)))));
        messages.put("interrupt", List.of(string("turnId")));
        messages.put("playback.position", List.of(turnId(), field("playedMs", Kind.LONG,
                values(Arbitraries.longs().greaterOrEqual(0))).asRequired()
                .withOutOfRange(Arbitraries.longs().lessOrEqual(-1))));
        messages.put("client.latency", List.of(turnId(), field("e2eMs", Kind.NUMBER,
                values(Arbitraries.doubles().between(0, 1e9))).asRequired()
                .withOutOfRange(Arbitraries.doubles().lessOrEqual(-0.01))));
        messages.put("session.end", List.of(string("reason")));
        return messages;
    }

    /** Every field of a {@code type} message, nested ones included, each with its path. */
    static List<Located> fieldsOf(String type) {
        List<Located> located = new ArrayList<>();
        collect(List.of(), MESSAGES.get(type), located);
        return located;
    }

    private static void collect(List<String> parent, List<Field> fields, List<Located> into) {
        for (Field field : fields) {
            List<String> path = new ArrayList<>(parent);
            path.add(field.name());
            into.add(new Located(List.copyOf(path), field));
            collect(path, field.fields(), into);
        }
    }

    /** A valid {@code type} message: required fields present, each optional one present or not. */
    static Arbitrary<Map<String, Object>> valid(String type) {
        return object(MESSAGES.get(type)).map(fields -> {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", type);
            message.putAll(fields);
            return message;
        });
    }

    private static Arbitrary<Map<String, Object>> object(List<Field> fields) {
        List<Arbitrary<Optional<Object>>> values = new ArrayList<>();
        for (Field field : fields) {
            Arbitrary<Optional<Object>> present = field.valid().map(Optional::of);
            values.add(field.required() ? present : Arbitraries.oneOf(Arbitraries.just(Optional.empty()), present));
        }
        return Combinators.combine(values).as(chosen -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                int index = i;
                chosen.get(i).ifPresent(value -> object.put(fields.get(index).name(), value));
            }
            return object;
        });
    }

    /** JSON values that are not of {@code kind}, as a careless or hostile client might send them. */
    static Arbitrary<Object> wrongKind(Kind kind) {
        Arbitrary<Object> string = values(anyString());
        Arbitrary<Object> numericString = values(Arbitraries.integers().map(i -> Integer.toString(i)));
        Arbitrary<Object> integer = values(Arbitraries.integers());
        Arbitrary<Object> fraction = values(Arbitraries.doubles().filter(d -> d != Math.rint(d)));
        Arbitrary<Object> bool = values(Arbitraries.of(true, false));
        Arbitrary<Object> object = values(Arbitraries.of(Map.of(), Map.of("a", 1)));
        Arbitrary<Object> array = values(Arbitraries.of(List.of(), List.of(1, "a")));
        Arbitrary<Object> tooBigForInt = values(Arbitraries.longs().greaterOrEqual(Integer.MAX_VALUE + 1L));
        Arbitrary<Object> tooBigForLong = values(Arbitraries.bigIntegers()
                .between(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.TEN.pow(30)));
        return switch (kind) {
            case STRING -> Arbitraries.oneOf(integer, fraction, bool, object, array);
            case INTEGER -> Arbitraries.oneOf(string, numericString, fraction, bool, object, array, tooBigForInt);
            case LONG -> Arbitraries.oneOf(string, numericString, fraction, bool, object, array, tooBigForLong);
            case NUMBER -> Arbitraries.oneOf(string, numericString, bool, object, array);
            case BOOLEAN -> Arbitraries.oneOf(string, values(Arbitraries.of("true", "false")), integer, fraction,
                    object, array);
            case OBJECT -> Arbitraries.oneOf(string, values(Arbitraries.just("")), integer, fraction, bool, array);
        };
    }

    static Arbitrary<String> anyString() {
        return Arbitraries.strings().ofMaxLength(60);
    }

    /** {@code arbitrary}'s values as plain JSON values. */
    static Arbitrary<Object> values(Arbitrary<?> arbitrary) {
        return arbitrary.map(value -> (Object) value);
    }

    private static Field field(String name, Kind kind, Arbitrary<Object> valid) {
        return new Field(name, kind, false, valid, null, List.of());
    }

    private static Field string(String name) {
        return field(name, Kind.STRING, values(anyString()));
    }

    private static Field turnId() {
        return field("turnId", Kind.STRING, values(Arbitraries.strings().alpha().numeric().ofMinLength(1)
                .ofMaxLength(20).map(id -> "turn_" + id))).asRequired()
                .withOutOfRange(Arbitraries.strings().withChars(" \t").ofMaxLength(3));
    }

    private static Field bool(String name) {
        return field(name, Kind.BOOLEAN, values(Arbitraries.of(true, false)));
    }

    private static Field sampleRate(String name) {
        return field(name, Kind.INTEGER, values(Arbitraries.integers().between(MessageRules.MIN_SAMPLE_RATE,
                MessageRules.MAX_SAMPLE_RATE))).withOutOfRange(Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(MessageRules.MIN_SAMPLE_RATE - 1),
                Arbitraries.integers().greaterOrEqual(MessageRules.MAX_SAMPLE_RATE + 1)));
    }

    private static Field duration(String name) {
        return duration(name, 0, MAX_MS);
    }

    private static Field duration(String name, int min, int max) {
        return field(name, Kind.INTEGER, values(Arbitraries.integers().between(min, max)))
                .withOutOfRange(Arbitraries.oneOf(Arbitraries.integers().lessOrEqual(-1),
                        Arbitraries.integers().greaterOrEqual(MAX_MS + 1)));
    }

    private static Field rate(String name) {
        return field(name, Kind.NUMBER, values(Arbitraries.doubles().between(0, 1e6)))
                .withOutOfRange(Arbitraries.doubles().lessOrEqual(-0.01));
    }

    private static Field object(String name, Field... fields) {
        List<Field> children = List.of(fields);
        return new Field(name, Kind.OBJECT, false, values(object(children)), null, children);
    }
}
