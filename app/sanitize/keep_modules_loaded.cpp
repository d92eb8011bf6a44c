// Linked into the noiselab executable of sanitizer builds only (NOISELAB_SANITIZE, see
// app/CMakeLists.txt). Why: the OpenGL driver (Mesa's *_dri.so, loaded with dlopen by libGLX)
// is unloaded with dlclose when the app closes its window, before LeakSanitizer looks for leaks
// at exit. Memory the driver never frees then shows as a leak in "<unknown module>", which no
// suppression can name. Defining dlclose in the executable takes precedence over libc's for
// every library (symbol interposition), so modules stay loaded until the process ends, LSan sees
// their names, and tests/reliability/lsan-suppressions.txt can suppress them by library.
// Unloading at exit frees nothing that exit itself does not free, so behaviour is unchanged.
extern "C" int dlclose(void*) { return 0; }
