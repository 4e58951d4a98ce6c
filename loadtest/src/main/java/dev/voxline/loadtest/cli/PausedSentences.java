package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.audio.PhraseSet;
import dev.voxline.loadtest.audio.UnreadableAudioException;
import dev.voxline.loadtest.conversation.SpokenItem;
import java.io.ByteArrayOutputStream;
import java.util.List;

/** TEMPORARY stand-in until the pause set lands. */
final class PausedSentences {
    static List<SpokenItem> load() throws UnreadableAudioException {
        PhraseSet p = PhraseSet.shipped();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(p.phrases().get(15).audio().pcm());
        b.writeBytes(new byte[16000]);
        b.writeBytes(p.phrases().get(18).audio().pcm());
        return List.of(new SpokenItem("stand-in", "x", b.toByteArray(), SpokenItem.SYNTHETIC));
    }
}
