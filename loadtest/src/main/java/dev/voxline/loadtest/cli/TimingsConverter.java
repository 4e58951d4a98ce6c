package dev.voxline.loadtest.cli;

import dev.voxline.loadtest.client.Timings;
import picocli.CommandLine;

final class TimingsConverter implements CommandLine.ITypeConverter<Timings> {

    @Override
    public Timings convert(String value) {
        try {
            return Timings.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
