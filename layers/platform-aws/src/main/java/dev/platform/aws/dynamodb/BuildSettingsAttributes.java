package dev.platform.aws.dynamodb;

import dev.platform.core.build.BuildSettings;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A project's build settings on its repository links ({@code dockerfile}, {@code buildContext},
 * {@code buildTarget}, {@code buildArgs} as a map): the orchestrator reads them with the link, in the
 * query it makes anyway.
 * Links written before build settings existed have none and build with the defaults.
 */
final class BuildSettingsAttributes {
    private BuildSettingsAttributes() {
    }

    static BuildSettings read(Map<String, AttributeValue> item) {
        String dockerfile = Attr.string(item, "dockerfile");
        if (dockerfile == null) {
            return BuildSettings.DEFAULTS;
        }
        String target = Attr.string(item, "buildTarget");
        Map<String, String> args = new java.util.TreeMap<>();
        AttributeValue stored = item.get("buildArgs");
        if (stored != null && stored.hasM()) {
            stored.m().forEach((name, value) -> args.put(name, value.s()));
        }
        return new BuildSettings(dockerfile, Attr.string(item, "buildContext"), target == null ? "" : target, args);
    }

    static void write(BuildSettings settings, Map<String, AttributeValue> item) {
        item.put("dockerfile", Attr.s(settings.dockerfile()));
        item.put("buildContext", Attr.s(settings.context()));
        if (!settings.target().isEmpty()) {
            item.put("buildTarget", Attr.s(settings.target()));
        }
        if (!settings.buildArgs().isEmpty()) {
            Map<String, AttributeValue> args = new java.util.HashMap<>();
            settings.buildArgs().forEach((name, value) -> args.put(name, Attr.s(value)));
            item.put("buildArgs", AttributeValue.fromM(args));
        }
    }
}
