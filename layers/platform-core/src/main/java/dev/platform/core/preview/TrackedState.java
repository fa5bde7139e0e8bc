package dev.platform.core.preview;

import dev.platform.core.ids.ProjectId;

/** State the orchestrator keeps per project and pull request, or per project's production branch. */
public sealed interface TrackedState permits Preview, ProductionBranch {
    ProjectId projectId();
}
