package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.gateway.session.ClientMessageSchema.Located;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.json.JsonMapper;

/**
 * Properties of what the gateway makes of a client's JSON frame (decoded strictly, then checked by
 * {@link MessageRules}): valid messages pass; a message with one field of the wrong type, out of range, or removed
 * is refused naming that field (or passes, when the field was optional); nothing a client sends — random JSON,
 * mangled text — raises anything but the codec's own error, and every refusal of a JSON object names the message
 * type or a field.
 */
class ClientInputPropertyTests {

    /** Writes test messages as they are, nulls included (unlike the codec). */
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> CODES = Set.of(ErrorCodes.INVALID_JSON, ErrorCodes.UNKNOWN_TYPE,
            ErrorCodes.INVALID_MESSAGE, ErrorCodes.INVALID_FIELD, ErrorCodes.TEXT_TOO_LONG);

    private final MessageRules rules = new MessageRules(ClientMessageSchema.MAX_TEXT_CHARS);

    /** What is done to one field of a valid message. */
    enum Change { WRONG_KIND, OUT_OF_RANGE, REMOVED, NULL }

    /** A valid {@code type} message, and {@code change} to the field at {@code target} ({@code value}: its new one). */
    record Mutation(String type, Map<String, Object> message, Located target, Change change, Object value) {

        Map<String, Object> apply() {
            Map<String, Object> copy = deepCopy(message);
            Map<String, Object> parent = copy;
            List<String> path = target.path();
            for (String name : path.subList(0, path.size() - 1)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) parent.computeIfAbsent(name,
                        key -> new LinkedHashMap<String, Object>());
                parent = child;
            }
            String name = path.get(path.size() - 1);
            if (change == Change.REMOVED) {
                parent.remove(name);
            } else {
                parent.put(name, value);
            }
            return copy;
        }
    }

    private ClientError verdict(Object json) {
        return ClientInput.verdict(rules, JSON.writeValueAsString(json));
    }

    @Property
    void aValidMessagePasses(@ForAll("validMessages") Map<String, Object> message) {
        assertThat(verdict(message)).isNull();
    }

    @Property
    void unknownFieldsAreIgnored(@ForAll("validMessages") Map<String, Object> message,
                                 @ForAll("jsonValues") Object extra) {
        Map<String, Object> withExtra = new LinkedHashMap<>(message);
        withExtra.put("futureField", extra);
        assertThat(verdict(withExtra)).isNull();
    }

    @Property(tries = 3000)
    void oneBrokenFieldIsRefusedByNameAndAMissingOptionalOnePasses(@ForAll("mutations") Mutation mutation) {
        ClientError error = verdict(mutation.apply());

        String field = mutation.type() + ": " + mutation.target().dotted() + " ";
        boolean required = mutation.target().field().required();
        switch (mutation.change()) {
            case WRONG_KIND -> {
                assertThat(error).isNotNull();
                assertThat(error.code()).isEqualTo(ErrorCodes.INVALID_FIELD);
                assertThat(error.message()).startsWith(field);
            }
            case OUT_OF_RANGE -> {
                assertThat(error).isNotNull();
                assertThat(error.code()).isIn(ErrorCodes.INVALID_FIELD, ErrorCodes.TEXT_TOO_LONG);
                assertThat(error.message()).startsWith(field);
            }
            case REMOVED, NULL -> {
                if (required) {
                    assertThat(error).isNotNull();
                    assertThat(error.code()).isEqualTo(ErrorCodes.INVALID_FIELD);
                    assertThat(error.message()).startsWith(field + "is required");
                } else {
                    assertThat(error).isNull();
                }
            }
        }
    }

    @Property
    void aBrokenTypeIsNamed(@ForAll("brokenTypes") Map<String, Object> message) {
        ClientError error = verdict(message);

        assertThat(error).isNotNull();
        assertThat(error.code()).isIn(ErrorCodes.INVALID_MESSAGE, ErrorCodes.INVALID_FIELD, ErrorCodes.UNKNOWN_TYPE);
        assertThat(error.message()).contains("type");
    }

    @Property(tries = 2000)
    void anyJsonIsAnsweredWithTheCodecsOwnErrorNamingTheTypeOrAField(@ForAll("jsonValues") Object json) {
        assertNamed(verdict(json));
    }

    @Property
    void aKnownTypeWithRandomFieldsIsRefusedNamingIt(@ForAll("randomlyFilled") Map<String, Object> message) {
        ClientError error = verdict(message);
        if (error != null) {
            assertThat(error.code()).isIn(CODES);
            assertThat(error.message()).startsWith(message.get("type") + ": ");
        }
    }

    @Property(tries = 2000)
    void mangledTextIsAnsweredWithTheCodecsOwnError(@ForAll("mangledText") String text) {
        ClientError error = ClientInput.verdict(rules, text);
        if (error != null) {
            assertThat(error.code()).isIn(CODES);
            assertThat(error.message()).isNotBlank();
        }
    }

    /** A refusal of a JSON value: one of the codes a client knows, naming the message type or one of its fields. */
    private static void assertNamed(ClientError error) {
        if (error == null) {
            return;
        }
        assertThat(error.code()).isIn(CODES);
        boolean namesType = error.message().contains("type");
        boolean namesField = ClientMessageSchema.MESSAGES.keySet().stream()
                .anyMatch(type -> error.message().startsWith(type + ": "));
        assertThat(namesType || namesField).as(error.message()).isTrue();
    }

    @Provide
    Arbitrary<Map<String, Object>> validMessages() {
        return Arbitraries.of(ClientMessageSchema.MESSAGES.keySet()).flatMap(ClientMessageSchema::valid);
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Arbitraries.of(ClientMessageSchema.MESSAGES.keySet()).flatMap(type -> Combinators.combine(
                ClientMessageSchema.valid(type), Arbitraries.of(ClientMessageSchema.fieldsOf(type)))
                .flatAs((message, target) -> changesOf(target).flatMap(change -> changed(target, change)
                        .map(value -> new Mutation(type, message, target, change, value)))));
    }

    /** What may be done to {@code target}: anything, but a field of which every value is valid cannot leave it. */
    private static Arbitrary<Change> changesOf(Located target) {
        return target.field().outOfRange() != null ? Arbitraries.of(Change.class)
                : Arbitraries.of(Change.WRONG_KIND, Change.REMOVED, Change.NULL);
    }

    /** The new value of {@code target} after {@code change} (null when it is removed or set to null). */
    private static Arbitrary<Object> changed(Located target, Change change) {
        return switch (change) {
            case WRONG_KIND -> ClientMessageSchema.wrongKind(target.field().kind());
            case OUT_OF_RANGE -> target.field().outOfRange();
            case REMOVED, NULL -> Arbitraries.just(null);
        };
    }

    /** Valid messages whose {@code type} is gone, null, not a string, or not one the gateway knows. */
    @Provide
    Arbitrary<Map<String, Object>> brokenTypes() {
        Arbitrary<Object> types = Arbitraries.oneOf(Arbitraries.just(null),
                ClientMessageSchema.wrongKind(ClientMessageSchema.Kind.STRING),
                ClientMessageSchema.values(ClientMessageSchema.anyString()
                        .filter(type -> !ClientMessageSchema.MESSAGES.containsKey(type))));
        return Combinators.combine(validMessages(), types, Arbitraries.of(true, false)).as((message, type, remove) -> {
            Map<String, Object> broken = new LinkedHashMap<>(message);
            if (remove) {
                broken.remove("type");
            } else {
                broken.put("type", type);
            }
            return broken;
        });
    }

    /** Any JSON value: scalars, and arrays and objects of them a few levels deep. */
    @Provide
    Arbitrary<Object> jsonValues() {
        return jsonValues(4);
    }

    private static Arbitrary<Object> jsonValues(int maxDepth) {
        return Arbitraries.recursive(ClientInputPropertyTests::scalars, values -> Arbitraries.oneOf(
                ClientMessageSchema.values(values.list().ofMaxSize(4)),
                ClientMessageSchema.values(Arbitraries.maps(keys(), values).ofMaxSize(4))), 0, maxDepth);
    }

    /** A known type, and any of the protocol's field names with any JSON value. */
    @Provide
    Arbitrary<Map<String, Object>> randomlyFilled() {
        return Combinators.combine(Arbitraries.of(ClientMessageSchema.MESSAGES.keySet()),
                Arbitraries.maps(keys(), jsonValues(2)).ofMaxSize(6)).as((type, fields) -> {
                    Map<String, Object> message = new LinkedHashMap<>(fields);
                    message.put("type", type);
                    return message;
                });
    }

    /** Valid messages' text with characters deleted, doubled or replaced: usually no longer JSON, sometimes so. */
    @Provide
    Arbitrary<String> mangledText() {
        return Combinators.combine(validMessages().map(JSON::writeValueAsString),
                Arbitraries.integers().between(0, 1_000).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.chars().with('{', '}', '[', ']', '"', ':', ',', '\\', '0', 'e', '-', ' ')
                        .list().ofSize(4)).as((text, positions, chars) -> {
                            StringBuilder mangled = new StringBuilder(text);
                            for (int i = 0; i < positions.size() && !mangled.isEmpty(); i++) {
                                int at = positions.get(i) % mangled.length();
                                switch (i % 3) {
                                    case 0 -> mangled.deleteCharAt(at);
                                    case 1 -> mangled.insert(at, chars.get(i));
                                    default -> mangled.setCharAt(at, chars.get(i));
                                }
                            }
                            return mangled.toString();
                        });
    }

    private static Arbitrary<String> keys() {
        List<String> names = new ArrayList<>(List.of("type", "x"));
        ClientMessageSchema.MESSAGES.keySet().forEach(type -> ClientMessageSchema.fieldsOf(type)
                .forEach(located -> names.add(located.field().name())));
        return Arbitraries.oneOf(Arbitraries.of(names), ClientMessageSchema.anyString());
    }

    private static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(ClientMessageSchema.values(ClientMessageSchema.anyString()),
                ClientMessageSchema.values(Arbitraries.integers()), ClientMessageSchema.values(Arbitraries.longs()),
                ClientMessageSchema.values(Arbitraries.doubles()), ClientMessageSchema.values(Arbitraries.bigIntegers()
                        .between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))),
                ClientMessageSchema.values(Arbitraries.of(true, false)), Arbitraries.just(null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> child
                ? deepCopy((Map<String, Object>) child) : value));
        return copy;
    }
}
