package dev.voxline.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import dev.voxline.contracts.client.ClientMessage;
import dev.voxline.contracts.client.Quote;
import java.util.Arrays;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads what a client sends on {@code /v1/talk} strictly, where events between the services are read leniently: each
 * field must have the JSON type docs/protocol.md gives it — no number or boolean where a string belongs, no string
 * where a number or boolean belongs, no fraction where an integer belongs, nothing out of the Java type's range — one
 * message per frame, each field once. Unknown fields are still ignored (forward compatibility). A refusal is a
 * {@link JsonCodec.CodecException} whose message names the message type and the field, e.g.
 * {@code text.input: text must be a string (got 42)}. Ranges and required fields are the gateway's to check.
 */
final class ClientMessageReader {

    /** Every client message's {@code type}, in the order docs/protocol.md gives them. */
    private static final List<String> TYPES = Arrays.stream(ClientMessage.class.getAnnotation(JsonSubTypes.class)
            .value()).map(JsonSubTypes.Type::name).toList();

    private final JsonMapper mapper;

    /** {@code codecMapper}: the codec's own settings, which this tightens. */
    ClientMessageReader(JsonMapper codecMapper) {
        this.mapper = codecMapper.rebuild()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, config -> refuse(config, CoercionInputShape.Integer,
                        CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.EmptyString, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Float, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.EmptyString, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.EmptyString, CoercionInputShape.Integer, CoercionInputShape.Float))
                .withCoercionConfig(LogicalType.POJO, config -> refuse(config, CoercionInputShape.String,
                        CoercionInputShape.EmptyString))
                .build();
    }

    private static void refuse(MutableCoercionConfig config, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
    }

    ClientMessage read(String json) {
        JsonNode tree = parse(json);
        String type = typeOf(tree);
        try {
            return mapper.treeToValue(tree, ClientMessage.class);
        } catch (InvalidTypeIdException e) {
            throw new JsonCodec.CodecException(ErrorCodes.UNKNOWN_TYPE, "unknown message type \"" + type
                    + "\"; known: " + String.join(", ", TYPES));
        } catch (JacksonException e) {
            throw fieldError(type, tree, e);
        }
    }

    private JsonNode parse(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (MismatchedInputException e) {
            // Only FAIL_ON_TRAILING_TOKENS gets here: the syntax was fine up to a second value.
            throw new JsonCodec.CodecException(ErrorCodes.INVALID_JSON, "malformed JSON: a frame holds one message, "
                    + "found more after it");
        } catch (JacksonException e) {
            throw new JsonCodec.CodecException(ErrorCodes.INVALID_JSON, "malformed JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new JsonCodec.CodecException(ErrorCodes.INVALID_MESSAGE, "a message must be a JSON object with a "
                    + "\"type\" (got " + describe(tree) + ")");
        }
        return tree;
    }

    private static String typeOf(JsonNode message) {
        JsonNode type = message.get("type");
        if (type == null || type.isNull()) {
            throw new JsonCodec.CodecException(ErrorCodes.INVALID_MESSAGE, "message has no \"type\" field");
        }
        if (!type.isString()) {
            throw new JsonCodec.CodecException(ErrorCodes.INVALID_FIELD, "type must be a string (got "
                    + describe(type) + ")");
        }
        return type.asString();
    }

    /** What was wrong with which field of a {@code type} message, as the client is told. */
    private static JsonCodec.CodecException fieldError(String type, JsonNode message, JacksonException e) {
        List<JacksonException.Reference> path = e.getPath();
        if (path.isEmpty()) {
            return new JsonCodec.CodecException(ErrorCodes.INVALID_FIELD, type + ": " + e.getOriginalMessage());
        }
        StringBuilder field = new StringBuilder();
        JsonNode value = message;
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getPropertyName());
                value = value.path(reference.getPropertyName());
            } else {
                field.append('[').append(reference.getIndex()).append(']');
                value = value.path(reference.getIndex());
            }
        }
        String expected = expected(targetType(e));
        String rule = e instanceof InputCoercionException ? "is out of range for " + expected : "must be " + expected;
        return new JsonCodec.CodecException(ErrorCodes.INVALID_FIELD, type + ": " + field + " " + rule + " (got "
                + describe(value) + ")");
    }

    private static Class<?> targetType(JacksonException e) {
        if (e instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType();
        }
        return e instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class || target == Long.class || target == int.class || target == long.class) {
            return "an integer";
        }
        if (target == Double.class || target == Float.class || target == double.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        return "an object";
    }

    /** A JSON value as it is quoted back to the client: scalars as written (long strings cut), containers named. */
    private static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        return Quote.shortened(value.toString());
    }
}
