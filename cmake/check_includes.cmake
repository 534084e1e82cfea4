# Fails when a module includes a module above it (the arrows of docs/DEVELOPING.md).
# Run as: cmake -DSOURCE_DIR=<repo> -P cmake/check_includes.cmake   (ctest: include_direction)
#
# Each folder below may include the lotwright/<module>/ headers listed for it, and nothing
# else of ours. The gis wrappers (GDAL, GEOS, PROJ handles) stay inside the library: the
# public headers of the modules above gis, and the front ends, never include them (the front
# ends may use gis's plain-type headers: tables, geometry, atomic writes).
set(allowed_core    core)
set(allowed_rounds  core rounds)
set(allowed_gis     core gis)
set(allowed_study   core rounds gis study)
set(allowed_metrics core rounds gis study metrics)
set(allowed_plan    core rounds gis study metrics plan)
set(allowed_design  core rounds gis study metrics plan design)
set(allowed_synth   core rounds gis study synth)
set(allowed_scenario core rounds gis study metrics plan design scenario)
set(allowed_tender  core rounds gis study metrics plan tender)
set(allowed_store   core rounds gis study metrics plan store)
set(allowed_cli     core rounds gis study metrics plan design synth tender store scenario)
set(allowed_viewer  core rounds gis study metrics plan tender store)

set(folders
  core geo/core  rounds geo/rounds  gis geo/gis  study geo/study  metrics geo/metrics  plan geo/plan
  design geo/design  synth geo/synth  scenario geo/scenario  tender tender  cli cli  viewer viewer
  store geo/store)
set(problems "")
list(LENGTH folders n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET folders ${i} module)
  list(GET folders ${j} folder)
  file(GLOB_RECURSE files ${SOURCE_DIR}/${folder}/*.hpp ${SOURCE_DIR}/${folder}/*.cpp)
  foreach(file ${files})
    file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"lotwright/")
    file(RELATIVE_PATH rel ${SOURCE_DIR} ${file})
    set(public_header FALSE)
    if(rel MATCHES "/include/lotwright/" OR module STREQUAL "cli" OR module STREQUAL "viewer")
      set(public_header TRUE)
    endif()
    foreach(line ${lines})
      string(REGEX REPLACE ".*\"lotwright/([^/\"]+)[/\"].*" "\\1" target "${line}")
      if(target STREQUAL "version.hpp")
        continue()
      endif()
      list(FIND allowed_${module} ${target} found)
      if(found EQUAL -1)
        string(APPEND problems "  ${rel}: ${module} may not include lotwright/${target}/ (${line})\n")
      elseif(public_header AND target STREQUAL "gis" AND NOT module STREQUAL "gis"
             AND line MATCHES "gis/(gdal|geos|proj)\\.hpp")
        string(APPEND problems "  ${rel}: a public header or front end includes a GDAL/GEOS/PROJ wrapper (${line})\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Includes that point upward (docs/DEVELOPING.md, module map):\n${problems}")
endif()
message(STATUS "include direction: every module includes only modules below it")
