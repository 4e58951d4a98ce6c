package dev.voxline.tts.stage;

import java.io.ByteArrayOutputStream;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * How a clause's audio goes onto voice.downlink: the engine's first chunk alone, so the first audio waits for
 * nothing, then the next chunks joined two, four … at a time up to {@code maxChunks} per record, and what is left
 * when the clause ends. Kafka's cost (client and broker) is per record, and the gateway paces and re-frames reply
 * audio itself, so fewer, larger records cost the caller nothing — as long as the engine is faster than real time:
 * each record then covers the time its successor takes to make. Nothing here waits on a clock; a record is sent
 * when the engine has made its audio.
 */
final class ReplyRecords {

    private ReplyRecords() {
    }

    static Flux<byte[]> growing(Flux<byte[]> chunks, int maxChunks) {
        if (maxChunks <= 1) {
            return chunks;
        }
        return Flux.defer(() -> {
            int[] inRecord = {0};
            int[] recordSize = {1};
            return chunks.bufferUntil(chunk -> {
                if (++inRecord[0] < recordSize[0]) {
                    return false;
                }
                inRecord[0] = 0;
                recordSize[0] = Math.min(maxChunks, recordSize[0] * 2);
                return true;
            }).map(ReplyRecords::join);
        });
    }

    private static byte[] join(List<byte[]> chunks) {
        if (chunks.size() == 1) {
            return chunks.get(0);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream(chunks.stream().mapToInt(c -> c.length).sum());
        chunks.forEach(joined::writeBytes);
        return joined.toByteArray();
    }
}
