// Golden case list (in progress: filled in by the next commit).
