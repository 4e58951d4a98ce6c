package dev.voxline.contracts;

import java.security.SecureRandom;

/** Short random identifiers for sessions, turns and generations. */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghijkmnpqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String sessionId() {
        return "sess_" + random(16);
    }

    public static String turnId() {
        return "turn_" + random(12);
    }

    public static String generationId() {
        return "gen_" + random(10);
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
