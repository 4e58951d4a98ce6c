package dev.voxline.gateway.session;

/** What the client is told about something it sent that the gateway cannot use: an {@code error} event's fields. */
record ClientError(String turnId, String code, String message) {

    static ClientError of(String code, String message) {
        return new ClientError(null, code, message);
    }
}
