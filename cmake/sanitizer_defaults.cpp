// Linked into every executable when LOTWRIGHT_SANITIZE is on, so runs outside ctest (the CLI
// started by tests, a developer running a test binary) use the same sanitizer settings.
// Leaks reported inside system libraries at exit (driver registries, font caches, Mesa) are
// suppressed; leaks in our code are not.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libgdal\nleak:libproj\nleak:libfontconfig\nleak:libglib\nleak:libgobject\n"
         "leak:libpango\nleak:libcairo\nleak:libharfbuzz\nleak:libGLX\nleak:libEGL\n"
         "leak:libGL\nleak:mesa\nleak:libX11\nleak:libglfw\nleak:_dri\nleak:libLLVM\n"
         "leak:libxlsxwriter\nleak:libgeos\nleak:libspatialite\nleak:libsqlite3\n"
         // The UBSan runtime's own blocks hanging off a suppressed Mesa/GLX leak (viewer).
         "leak:libubsan\n";
}
#ifdef LOTWRIGHT_NO_LEAK_CHECK
// The viewer: Mesa's software driver is dlclose()d at exit, so the few blocks it leaves
// have no module to name and no suppression can match them. Memory errors are still
// checked; the viewer's model (PlanEditor, plan store) is leak-checked in its unit tests.
extern "C" const char* __asan_default_options() { return "detect_leaks=0:abort_on_error=0"; }
#else
extern "C" const char* __asan_default_options() { return "detect_leaks=1:abort_on_error=0"; }
#endif
extern "C" const char* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1"; }
