package dev.voxline.contracts;

/** The {@code code} values of {@code error} events; docs/protocol.md explains each. */
public final class ErrorCodes {

    public static final String INVALID_JSON = "invalid_json";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String INVALID_MESSAGE = "invalid_message";
    public static final String INVALID_FIELD = "invalid_field";
    public static final String INVALID_AUDIO_FRAME = "invalid_audio_frame";
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    public static final String TEXT_TOO_LONG = "text_too_long";
    public static final String SESSION_ALREADY_STARTED = "session_already_started";
    public static final String TEST_SETTINGS_DISABLED = "test_settings_disabled";
    public static final String SLOW_CONSUMER = "slow_consumer";
    public static final String STAGE_FAILED = "stage_failed";
    public static final String INTERNAL = "internal_error";

    private ErrorCodes() {
    }
}
