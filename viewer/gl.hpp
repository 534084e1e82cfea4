#pragma once
// OpenGL 3 entry points: Mesa/GLVND's libGL exports every core function, so the prototypes
// are enough (no loader library needed).
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
