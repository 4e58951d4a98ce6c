package dev.voxline.gateway.session;

import dev.voxline.contracts.ErrorCodes;

/**
 * The limits on the frames a client may send (docs/protocol.md §9); what their messages' fields may hold is
 * {@link MessageRules}'. Each check returns the error the client is told, or null when the frame may be used; a
 * refused frame is dropped and the session goes on.
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
}
