package dev.voxline.contracts.client;

/** How a value a client sent is quoted back to it in an {@code error} message: short, never half a character. */
public final class Quote {

    /** Longest piece of a value quoted back. */
    public static final int MAX_CHARS = 40;

    private Quote() {
    }

    /** {@code text} itself when it is at most {@link #MAX_CHARS} long, else its start and "…". */
    public static String shortened(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end) + "…";
    }
}
