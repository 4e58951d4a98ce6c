package dev.voxline.loadtest.audio;

/** A file that is not audio this client can read; the message says which file and why. */
public final class UnreadableAudioException extends Exception {

    public UnreadableAudioException(String message) {
        super(message);
    }

    public UnreadableAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
