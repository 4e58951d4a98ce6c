package dev.voxline.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.event.VoiceEvent;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON codec for events and client messages. Readers ignore unknown fields (so producers can add fields
 * first); client messages are read strictly otherwise ({@link ClientMessageReader}: no coercion between strings,
 * numbers and booleans), events leniently. A decoding failure is a {@link CodecException} whose
 * {@link CodecException#code()} is an error code a client can act on. Thread-safe.
 */
public final class JsonCodec {

    private static final JsonCodec INSTANCE = new JsonCodec();
    private static final Map<Class<?>, String> TYPE_NAMES = new HashMap<>();

    static {
        for (JsonSubTypes.Type type : VoiceEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            TYPE_NAMES.put(type.value(), type.name());
        }
        for (JsonSubTypes.Type type : ClientMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            TYPE_NAMES.put(type.value(), type.name());
        }
    }

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private final ClientMessageReader clientReader = new ClientMessageReader(mapper);

    public static JsonCodec get() {
        return INSTANCE;
    }

    /** The {@code type} name of an event or client message class. */
    public static String typeName(Object message) {
        String name = TYPE_NAMES.get(message.getClass());
        if (name == null) {
            throw new IllegalArgumentException("not a Voxline message: " + message.getClass().getName());
        }
        return name;
    }

    public byte[] encode(Object message) {
        return mapper.writeValueAsBytes(message);
    }

    public String encodeToString(Object message) {
        return mapper.writeValueAsString(message);
    }

    public VoiceEvent decodeEvent(byte[] json) {
        return read(json, VoiceEvent.class);
    }

    public VoiceEvent decodeEvent(String json) {
        return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), VoiceEvent.class);
    }

    /** A client's message, strictly: a field of the wrong JSON type is refused with a message naming it. */
    public ClientMessage decodeClientMessage(String json) {
        return clientReader.read(json);
    }

    /** Plain JSON for records that are not events (REST bodies, test fixtures). */
    public <T> T decode(byte[] json, Class<T> type) {
        return read(json, type);
    }

    private <T> T read(byte[] json, Class<T> type) {
        try {
            T value = mapper.readValue(json, type);
            if (value == null) {
                throw new CodecException(ErrorCodes.INVALID_MESSAGE, "message is JSON null");
            }
            return value;
        } catch (InvalidTypeIdException e) {
            String id = e.getTypeId();
            String message = id == null ? "message has no \"type\" field" : "unknown message type \"" + id + "\"";
            throw new CodecException(id == null ? ErrorCodes.INVALID_MESSAGE : ErrorCodes.UNKNOWN_TYPE, message);
        } catch (StreamReadException e) {
            throw new CodecException(ErrorCodes.INVALID_JSON, "malformed JSON: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new CodecException(ErrorCodes.INVALID_MESSAGE, "invalid message: " + e.getOriginalMessage());
        }
    }

    /** A message that could not be decoded; {@link #code()} is one of {@link ErrorCodes}. */
    public static final class CodecException extends RuntimeException {
        private final String code;

        public CodecException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
