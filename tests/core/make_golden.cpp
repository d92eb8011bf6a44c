// Rewrites tests/golden/streams_v1.txt (in progress: filled in by the next commit).
int main() { return 0; }
