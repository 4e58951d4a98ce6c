package dev.voxline.vad.engine;

/**
 * One 20 ms input frame of PCM16LE mono audio at the pipeline rate, as the gateway cut it.
 *
 * @param seq           index of the frame from the session's first audio
 * @param pcm           the samples
 * @param arrivalMicros when the gateway received the frame's last byte (epoch µs), -1 when unknown
 * @param agentSpeaking whether the agent's reply was playing to the caller at the time
 */
public record AudioFrame(long seq, byte[] pcm, long arrivalMicros, boolean agentSpeaking) {
}
