package dev.voxline.loadtest.client;

/** A session could not be opened or used; the message is meant for the person at the terminal. */
public final class TalkException extends RuntimeException {

    public TalkException(String message) {
        super(message);
    }

    public TalkException(String message, Throwable cause) {
        super(message, cause);
    }
}
