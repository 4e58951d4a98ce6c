package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;
import dev.voxline.contracts.client.Quote;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The checks of one client message's fields, in order: once one fails the rest are skipped, and {@link #error()}
 * is what the client is told — {@code invalid_field} unless stated, with a message that names the message type and
 * the field, e.g. {@code session.start: inputSampleRate must be between 8000 and 48000 Hz (got -5)}. An absent
 * (null) field passes every check but {@link #required}.
 */
final class FieldChecks {

    private final String type;
    private final String turnId;
    private ClientError error;

    /** {@code turnId}: the turn the message is about, carried on its error (null: none). */
    FieldChecks(String type, String turnId) {
        this.type = type;
        this.turnId = turnId;
    }

    FieldChecks(String type) {
        this(type, null);
    }

    /** Present, and when it is a string, not blank. */
    FieldChecks required(String field, Object value) {
        check(value != null, ErrorCodes.INVALID_FIELD, field + " is required", null);
        return check(!(value instanceof String text) || !text.isBlank(), ErrorCodes.INVALID_FIELD,
                field + " must not be blank", value);
    }

    FieldChecks between(String field, Integer value, int min, int max) {
        return check(value == null || (value >= min && value <= max), ErrorCodes.INVALID_FIELD,
                field + " must be between " + min + " and " + max, value);
    }

    /** A number that is 0 or more (and finite: JSON has no infinity, but 1e999 reads as one). */
    FieldChecks notNegative(String field, Number value) {
        if (value != null && !Double.isFinite(value.doubleValue())) {
            return check(false, ErrorCodes.INVALID_FIELD, field + " must be a finite number", value);
        }
        return check(value == null || value.doubleValue() >= 0, ErrorCodes.INVALID_FIELD,
                field + " must be 0 or more", value);
    }

    FieldChecks oneOf(String field, String value, Collection<String> allowed) {
        return check(value == null || allowed.contains(value), ErrorCodes.INVALID_FIELD,
                field + " must be one of " + String.join(", ", new TreeSet<>(allowed)), value);
    }

    /** A text of at most {@code max} characters (code points, not UTF-16 units); too long is {@code code}. */
    FieldChecks atMostChars(String field, String value, int max, String code) {
        int chars = value == null ? 0 : value.codePointCount(0, value.length());
        return check(chars <= max, code, field + " must be at most " + max + " characters", chars);
    }

    /** {@code rule} is what the field must be, said after its name; {@code got} is the value that broke it. */
    FieldChecks check(boolean ok, String code, String rule, Object got) {
        if (error == null && !ok) {
            error = new ClientError(turnId, code, type + ": " + rule + " (got " + describe(got) + ")");
        }
        return this;
    }

    /** The first failed check, or null when every check passed. */
    ClientError error() {
        return error;
    }

    /** A value as it is quoted back to the client: strings quoted and shortened. */
    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        return value instanceof String text ? Quote.shortened("\"" + text + "\"") : value.toString();
    }
}
