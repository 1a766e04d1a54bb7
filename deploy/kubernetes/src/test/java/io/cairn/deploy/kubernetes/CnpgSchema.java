package io.cairn.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** CloudNativePG publishes no Java model, so its resources are checked against minimal schemas of the fields used. */
final class CnpgSchema {

    private static final Map<String, String> SCHEMAS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", "/cnpg/cluster.schema.json");

    private CnpgSchema() {
    }

    /** What is wrong with {@code document}; empty when it fits. */
    static List<String> problems(ObjectNode document) {
        String resource = SCHEMAS.get(TypedModels.typeOf(document));
        if (resource == null) {
            return List.of("no schema for " + TypedModels.typeOf(document));
        }
        try (InputStream in = CnpgSchema.class.getResourceAsStream(resource)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
