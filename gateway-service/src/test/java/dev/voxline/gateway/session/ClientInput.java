package dev.voxline.gateway.session;

import dev.voxline.contracts.JsonCodec;
import dev.voxline.contracts.client.ClientMessage;

/** What the gateway makes of one JSON text frame, as {@link GatewaySession} does: decoded, then its fields checked. */
final class ClientInput {

    private ClientInput() {
    }

    /** The error the client is told about {@code json}, or null when the message may be used. */
    static ClientError verdict(MessageRules rules, String json) {
        ClientMessage message;
        try {
            message = JsonCodec.get().decodeClientMessage(json);
        } catch (JsonCodec.CodecException e) {
            return ClientError.of(e.code(), e.getMessage());
        }
        return rules.check(message);
    }
}
