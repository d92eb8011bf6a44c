// Writes raw stream bytes for tests/golden/reference_streams.py (in progress).
int main() { return 0; }
