package dev.voxline.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voxline.contracts.Topics;
import dev.voxline.contracts.VoxHeaders;
import dev.voxline.contracts.audio.Pcm;
import dev.voxline.contracts.event.VoiceEvent;
import dev.voxline.gateway.downlink.PacingClock;
import dev.voxline.gateway.echo.SpeechFixtures;
import dev.voxline.kafka.SessionRoute;
import dev.voxline.kafka.VoiceRecord;
import dev.voxline.kafka.VoiceTracing;
import dev.voxline.kafka.VoiceTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The echo gate in a session on a virtual clock: reply audio goes out through the pacer, the caller's microphone
 * sends it back 100 ms later at speakerphone level, and what reaches voice.audio.in is checked frame by frame.
 */
class GatewaySessionEchoTests {

    private static final int FRAME = 320;
    private static final long START_US = 1_700_000_000_000_000L;
    private static final int DELAY_MS = 100;
    private static final double ECHO_GAIN = Math.pow(10, -12 / 20.0);

    private final List<byte[]> audioIn = new ArrayList<>();
    private final List<VoiceEvent> published = new ArrayList<>();
    private long nowUs = START_US;
    private long offset;

    private final VoiceTransport transport = new VoiceTransport() {
        @Override
        public void publish(String topic, SessionRoute route, VoiceEvent event) {
            published.add(event);
        }

        @Override
        public void publishAudio(String topic, SessionRoute route, byte[] pcm, Map<String, String> headers) {
            if (topic.equals(Topics.AUDIO_IN)) {
                audioIn.add(pcm.clone());
            }
        }

        @Override
        public Subscription subscribe(String groupId, Collection<String> topics, RecordHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription assign(String topic, Collection<Integer> partitions, RecordHandler handler) {
            throw new UnsupportedOperationException();
        }
    };

    private final GatewaySession session = new GatewaySession("sess_echo", 0, new GatewayProperties(
            InstanceIndex.of(0), 65536, 2000, 16384, false, Duration.ofMillis(200), 1000, Duration.ofSeconds(2), 20,
            20, 10, true, List.of()),
            transport, () -> nowUs / 1000, new PacingClock(VirtualTimeScheduler.create()), () -> nowUs, () -> 1,
            VoiceTracing.NOOP);

    /** Starts the session, has the agent speak {@code reply}, and returns what voice.audio.in got per frame. */
    private List<byte[]> call(String sessionStart, short[] reply, short[] user, int userFromFrame) {
        session.onText(sessionStart, sessionStart.length());
        session.onText("{\"type\":\"text.input\",\"text\":\"hi\"}", 32);
        String turn = published.stream().filter(VoiceEvent.TranscriptFinal.class::isInstance).findFirst()
                .orElseThrow().turnId();
        session.onDownlink(new VoiceRecord(Topics.DOWNLINK, 0, offset++, "sess_echo", Map.of(VoxHeaders.TYPE,
                VoxHeaders.AUDIO_TYPE, VoxHeaders.TURN, turn, VoxHeaders.SAMPLE_RATE, "16000"), Pcm.toBytes(reply), 0));
        long replyStartUs = nowUs;
        Random noise = new Random(7);
        int frames = reply.length / FRAME + 40;
        for (int j = 0; j < frames; j++) {
            nowUs += 10_000;
            session.tick();
            nowUs += 10_000;
            session.tick();
            // The microphone frame that ends now: the reply as played DELAY_MS ago, quieter, plus the caller.
            short[] mic = new short[FRAME];
            for (int n = 0; n < FRAME; n++) {
                long sampleUs = nowUs - 20_000 + n * 1_000_000L / 16_000;
                int i = (int) ((sampleUs - replyStartUs - DELAY_MS * 1_000L) * 16 / 1_000);
                double x = 18 * noise.nextGaussian() + (i >= 0 && i < reply.length ? ECHO_GAIN * reply[i] : 0);
                int u = (j - userFromFrame) * FRAME + n;
                if (user != null && u >= 0 && u < user.length) {
                    x += user[u];
                }
                mic[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(x)));
            }
            session.onBinary(Pcm.toBytes(mic), nowUs);
        }
        return audioIn;
    }

    private static boolean silent(byte[] frame) {
        for (byte b : frame) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static double dbfs(byte[] frame) {
        return Pcm.rmsDbfs(frame);
    }

    @Test
    void theAgentsOwnVoiceReachesVoiceAudioInAsSilenceAndTheCallersVoicePasses() {
        short[] reply = SpeechFixtures.load(SpeechFixtures.QUESTION);
        short[] user = SpeechFixtures.read(SpeechFixtures.phrases().get(0));
        int userFrom = 100; // 2 s into the reply

        List<byte[]> frames = call("{\"type\":\"session.start\"}", reply, user, userFrom);

        int echoFrames = 0;
        int echoSilenced = 0;
        int userFrames = 0;
        int userPassed = 0;
        for (int j = 0; j < frames.size(); j++) {
            boolean userSpeaks = j >= userFrom && j < userFrom + user.length / FRAME;
            int replyIndex = (j * FRAME) - DELAY_MS * 16;
            boolean echoVoiced = replyIndex >= 0 && replyIndex + FRAME <= reply.length
                    && Pcm.rmsDbfs(Pcm.toBytes(java.util.Arrays.copyOfRange(reply, replyIndex, replyIndex + FRAME)))
                    > -30;
            if (!userSpeaks && echoVoiced) {
                echoFrames++;
                echoSilenced += silent(frames.get(j)) ? 1 : 0;
            }
            if (userSpeaks && !silent(frames.get(j)) && dbfs(frames.get(j)) > -30) {
                userPassed++;
            }
            if (userSpeaks && Pcm.rmsDbfs(Pcm.toBytes(java.util.Arrays.copyOfRange(user,
                    (j - userFrom) * FRAME, (j - userFrom + 1) * FRAME))) > -30) {
                userFrames++;
            }
        }
        assertThat(echoFrames).isGreaterThan(20);
        assertThat(echoSilenced).as("echo frames silenced").isGreaterThanOrEqualTo(echoFrames * 95 / 100);
        assertThat(userFrames).isGreaterThan(10);
        assertThat(userPassed).as("loud caller frames passed").isGreaterThanOrEqualTo(userFrames * 90 / 100);
    }

    @Test
    void aSessionThatTurnsTheGateOffGetsItsEchoUnchanged() {
        short[] reply = SpeechFixtures.load(SpeechFixtures.QUESTION);

        List<byte[]> frames = call("{\"type\":\"session.start\",\"turnTaking\":{\"echoGate\":false}}", reply, null, 0);

        VoiceEvent.SessionStarted started = published.stream().filter(VoiceEvent.SessionStarted.class::isInstance)
                .map(VoiceEvent.SessionStarted.class::cast).findFirst().orElseThrow();
        assertThat(started.config().turnTaking().echoGate()).isFalse();
        assertThat(frames.stream().filter(GatewaySessionEchoTests::silent).count()).isZero();
    }
}
