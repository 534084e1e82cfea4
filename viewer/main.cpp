// lotwright-viewer: placeholder until the viewer lands.
#include <cstdio>
int main() {
  std::fprintf(stderr, "lotwright-viewer: not implemented yet\n");
  return 2;
}
