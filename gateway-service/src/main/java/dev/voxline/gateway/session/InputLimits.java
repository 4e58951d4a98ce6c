package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;

/**
 * The limits on what a client may send (docs/protocol.md §9). Each check returns the error the client is told, or
 * null when the input may be used; a refused input is dropped and the session goes on.
 */
final class InputLimits {

    private final GatewayProperties properties;

    InputLimits(GatewayProperties properties) {
        this.properties = properties;
    }

    /** A text (JSON) frame of {@code utf8Bytes} on the wire. */
    ClientError textFrame(int utf8Bytes) {
        if (utf8Bytes > properties.maxJsonBytes()) {
            return ClientError.of(ErrorCodes.FRAME_TOO_LARGE, "text frame of " + utf8Bytes
                    + " bytes is over the limit of " + properties.maxJsonBytes() + " bytes");
        }
        return null;
    }

    /** A binary frame of caller audio: 16-bit samples, not too many. */
    ClientError audioFrame(int bytes) {
        if (bytes > properties.maxFrameBytes()) {
            return ClientError.of(ErrorCodes.FRAME_TOO_LARGE, "audio frame of " + bytes
                    + " bytes is over the limit of " + properties.maxFrameBytes() + " bytes");
        }
        if (bytes % 2 != 0) {
            return ClientError.of(ErrorCodes.INVALID_AUDIO_FRAME, "audio frame of " + bytes
                    + " bytes is not a whole number of 16-bit samples");
        }
        return null;
    }

    /** The text of a {@code text.input}. */
    ClientError typedText(String text) {
        if (text == null || text.isBlank()) {
            return ClientError.of(ErrorCodes.INVALID_MESSAGE, "text.input needs a non-blank \"text\"");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > properties.maxTextChars()) {
            return ClientError.of(ErrorCodes.TEXT_TOO_LONG, "text.input of " + chars
                    + " characters is over the limit of " + properties.maxTextChars());
        }
        return null;
    }

    /** A client report about a turn ({@code type}) must name the turn and carry a non-negative {@code field}. */
    static ClientError turnReport(String type, String turnId, String field, Number amount) {
        if (turnId == null || amount == null || amount.doubleValue() < 0) {
            return new ClientError(turnId, ErrorCodes.INVALID_MESSAGE,
                    type + " needs \"turnId\" and a non-negative \"" + field + "\"");
        }
        return null;
    }
}
