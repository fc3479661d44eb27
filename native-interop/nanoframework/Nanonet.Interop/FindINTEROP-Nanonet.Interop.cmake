#
# FindINTEROP-Nanonet.Interop.cmake - the Nanonet.Interop interop assembly for nf-interpreter.
# Copy to nf-interpreter's CMake/Modules/, the stub folder to InteropAssemblies/Nanonet.Interop/, and
# configure with -DNF_INTEROP_ASSEMBLIES="Nanonet.Interop" (see README.md beside this file).
#
# Sets Nanonet.Interop_INCLUDE_DIRS and Nanonet.Interop_SOURCES: the nanoCLR stubs, the glue, the ESP32-S3
# platform hook, the camera glue (NANONET_WITH_CAMERA, on by default), the engine's C sources
# (NANONET_ENGINE_DIR: native-interop/ of the Nanonet repository; default InteropAssemblies/Nanonet.Interop/engine)
# and, on an ESP32-S3 with the esp-nn component (NANONET_USE_ESP_NN), the ESP-NN kernel table.
#

set(BASE_PATH_FOR_THIS_MODULE "${PROJECT_SOURCE_DIR}/InteropAssemblies/Nanonet.Interop")

set(NANONET_ENGINE_DIR "${BASE_PATH_FOR_THIS_MODULE}/engine" CACHE PATH "native-interop/ folder of the Nanonet repository")
option(NANONET_WITH_CAMERA "Build the esp32-camera glue (needs the esp32-camera IDF component)" ON)
# Stock firmware is -Os; the engine runs 5-8 % fewer instructions at -O2 than at -Os on the emulated
# Xtensa (tests/xtensa/bench.sh, docs/performance.md), so its sources get -O2.
set(NANONET_ENGINE_OPT_FLAGS "-O2" CACHE STRING "optimisation flags of the Nanonet engine sources")
# Widened weights (nn_model_widen), made at model load when the engine's kernels take them (the scalar
# kernels, not ESP-NN's): 1 widens every qualifying op (MobileNet v2 0.35: 763,804 bytes, PSRAM first),
# a larger value only ops with at least that many output pixels, 0 none.
set(NANONET_WIDEN_MIN_PIXELS "1" CACHE STRING "widen the weights of ops with at least this many output pixels (0: never)")

# include directories
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${PROJECT_SOURCE_DIR}/src/CLR/Core")
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${PROJECT_SOURCE_DIR}/src/CLR/Include")
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${PROJECT_SOURCE_DIR}/src/HAL/Include")
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${PROJECT_SOURCE_DIR}/src/PAL/Include")
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${BASE_PATH_FOR_THIS_MODULE}")
list(APPEND Nanonet.Interop_INCLUDE_DIRS "${NANONET_ENGINE_DIR}/include")

# the stubs (MetadataProcessor layout) and the glue
set(Nanonet.Interop_SRCS
    Nanonet_Interop.cpp
    Nanonet_Interop_Nanonet_Interop_Camera.cpp
    Nanonet_Interop_Nanonet_Interop_Camera_mshl.cpp
    Nanonet_Interop_Nanonet_Interop_Engine.cpp
    Nanonet_Interop_Nanonet_Interop_Engine_mshl.cpp
    Nanonet_Interop_Nanonet_Interop_Memory.cpp
    Nanonet_Interop_Nanonet_Interop_Memory_mshl.cpp
    nanonet_interop_glue.cpp
    nanonet_platform_esp32.c
)
if(NANONET_WITH_CAMERA)
    list(APPEND Nanonet.Interop_SRCS nanonet_camera_esp32.c)
endif()

foreach(SRC_FILE ${Nanonet.Interop_SRCS})
    set(Nanonet.Interop_SRC_FILE SRC_FILE-NOTFOUND)
    find_file(Nanonet.Interop_SRC_FILE ${SRC_FILE}
        PATHS "${BASE_PATH_FOR_THIS_MODULE}"
        CMAKE_FIND_ROOT_PATH_BOTH
    )
    if(NOT Nanonet.Interop_SRC_FILE)
        message(FATAL_ERROR "Nanonet.Interop: ${SRC_FILE} not found in ${BASE_PATH_FOR_THIS_MODULE}")
    endif()
    list(APPEND Nanonet.Interop_SOURCES ${Nanonet.Interop_SRC_FILE})
endforeach()

# the engine: the same C99 sources the host library and the C tests build
file(GLOB NANONET_ENGINE_C_SOURCES
    "${NANONET_ENGINE_DIR}/src/kernels/*.c"
    "${NANONET_ENGINE_DIR}/src/kernels/fast/*.c"
    "${NANONET_ENGINE_DIR}/src/kernels/scalar/*.c"
    "${NANONET_ENGINE_DIR}/src/model/*.c"
    "${NANONET_ENGINE_DIR}/src/executor/*.c"
    "${NANONET_ENGINE_DIR}/src/planner/*.c"
    "${NANONET_ENGINE_DIR}/src/interop/*.c"
)
if(NOT NANONET_ENGINE_C_SOURCES)
    message(FATAL_ERROR "Nanonet.Interop: no engine sources under NANONET_ENGINE_DIR=${NANONET_ENGINE_DIR}")
endif()
set_source_files_properties(${NANONET_ENGINE_C_SOURCES} PROPERTIES COMPILE_OPTIONS "${NANONET_ENGINE_OPT_FLAGS};-std=gnu99"
    COMPILE_DEFINITIONS "NANONET_WIDEN_MIN_PIXELS=${NANONET_WIDEN_MIN_PIXELS}")
list(APPEND Nanonet.Interop_SOURCES ${NANONET_ENGINE_C_SOURCES})

# ESP-NN (docs/esp-nn.md): CONV_2D and DEPTHWISE_CONV_2D through Espressif's esp-nn IDF component.
# NANONET_USE_ESP_NN defaults to ON for an ESP32-S3 target when the component is found; only then are the
# adapter (src/kernels/esp_nn/nn_esp_nn_table.c) compiled and nn_kernel_table.c built with
# NN_DEFAULT_KERNEL_TABLE=nn_esp_nn_kernels. The component itself must be in the IDF build (as esp32-camera:
# esp-nn in IDF_COMPONENTS_TO_ADD, idf::esp-nn in IDF_LIBRARIES_TO_ADD), with CONFIG_NN_OPTIMIZED=y (S3 kernels)
# and CONFIG_NN_SKIP_NUDGE=n (bit-exact requantisation; the adapter refuses to build otherwise).
set(NANONET_ESP_NN_DIR "" CACHE PATH "esp-nn component folder (holds include/esp_nn.h); empty: searched")
set(NANONET_ESP_NN_SCRATCH "16384" CACHE STRING "bytes of the ESP-NN adapter's static scratch (.bss, internal SRAM)")
if(NANONET_ESP_NN_DIR)
    set(NANONET_ESP_NN_COMPONENT_DIR "${NANONET_ESP_NN_DIR}")
else()
    find_path(NANONET_ESP_NN_COMPONENT_DIR include/esp_nn.h
        PATHS
            "${PROJECT_SOURCE_DIR}/managed_components/espressif__esp-nn"
            "${CMAKE_BINARY_DIR}/managed_components/espressif__esp-nn"
            "${PROJECT_SOURCE_DIR}/components/esp-nn"
            "$ENV{IDF_PATH}/components/esp-nn"
        NO_DEFAULT_PATH
    )
endif()
set(NANONET_ESP_NN_DEFAULT OFF)
if(("${TARGET_SERIES}" STREQUAL "ESP32_S3" OR "${IDF_TARGET}" STREQUAL "esp32s3" OR "${TARGET_BOARD}" MATCHES "ESP32_S3")
   AND NANONET_ESP_NN_COMPONENT_DIR)
    set(NANONET_ESP_NN_DEFAULT ON)
endif()
option(NANONET_USE_ESP_NN "Run convolutions through Espressif's ESP-NN (needs the esp-nn IDF component)" ${NANONET_ESP_NN_DEFAULT})
if(NANONET_USE_ESP_NN)
    if(NOT NANONET_ESP_NN_COMPONENT_DIR)
        message(FATAL_ERROR "Nanonet.Interop: NANONET_USE_ESP_NN is ON but no esp-nn component was found (set NANONET_ESP_NN_DIR)")
    endif()
    set(NANONET_ESP_NN_ADAPTER "${NANONET_ENGINE_DIR}/src/kernels/esp_nn/nn_esp_nn_table.c")
    if(NOT EXISTS "${NANONET_ESP_NN_ADAPTER}")
        message(FATAL_ERROR "Nanonet.Interop: ${NANONET_ESP_NN_ADAPTER} not found")
    endif()
    list(APPEND Nanonet.Interop_SOURCES "${NANONET_ESP_NN_ADAPTER}")
    set_source_files_properties("${NANONET_ESP_NN_ADAPTER}" PROPERTIES
        COMPILE_OPTIONS "${NANONET_ENGINE_OPT_FLAGS};-std=gnu99"
        COMPILE_DEFINITIONS "NN_ESP_NN_IDF=1;NN_ESP_NN_STATIC_SCRATCH=${NANONET_ESP_NN_SCRATCH}")
    set_property(SOURCE "${NANONET_ENGINE_DIR}/src/kernels/nn_kernel_table.c"
        APPEND PROPERTY COMPILE_DEFINITIONS NN_DEFAULT_KERNEL_TABLE=nn_esp_nn_kernels)
    message(STATUS "Nanonet.Interop: convolutions through ESP-NN (${NANONET_ESP_NN_COMPONENT_DIR}), scratch ${NANONET_ESP_NN_SCRATCH} B")
endif()

if(NANONET_WITH_CAMERA)
    set_source_files_properties("${BASE_PATH_FOR_THIS_MODULE}/nanonet_platform_esp32.c"
        PROPERTIES COMPILE_DEFINITIONS NANONET_WITH_CAMERA=1)
endif()

include(FindPackageHandleStandardArgs)

FIND_PACKAGE_HANDLE_STANDARD_ARGS(Nanonet.Interop DEFAULT_MSG Nanonet.Interop_INCLUDE_DIRS Nanonet.Interop_SOURCES)
