/*
 * nanonet_camera_esp32.c - the camera driver of the interop layer on esp32-camera (board build with
 * NANONET_WITH_CAMERA only). OV2640, 96x96 (or 160x120, 320x240) grayscale or RGB565, one frame buffer
 * in PSRAM, always the latest frame. The pins come from Camera.Init's configuration, validated by
 * nn_camera_config_parse (nanonet_interop.c); Camera.BoardConfig(0, ...) gives the pin map of the
 * Seeed Studio XIAO ESP32S3 Sense:
 *   PWDN -1, RESET -1, XCLK 10, SIOD 40, SIOC 39, Y2..Y9 (D0..D7) 15 17 18 16 14 12 11 48,
 *   VSYNC 38, HREF 47, PCLK 13
 * (Seeed wiki, XIAO ESP32S3 Sense getting started, "camera pin definition"; the same map as the
 * CAMERA_MODEL_XIAO_ESP32S3 block of the esp32-camera examples' camera_pins.h).
 */
#include <string.h>

#include "esp_camera.h"
#include "nanonet/nn_interop.h"

static framesize_t frame_size(const nn_camera_config *c)
{
    if (c->width == 160) {
        return FRAMESIZE_QQVGA;
    }
    if (c->width == 320) {
        return FRAMESIZE_QVGA;
    }
    return FRAMESIZE_96X96;
}

static int cam_init(void *user, const nn_camera_config *c)
{
    camera_config_t cfg;
    const int32_t *p = c->pins; /* config[4..19]: PWDN RESET XCLK SDA SCL D0..D7 VSYNC HREF PCLK */
    (void)user;
    memset(&cfg, 0, sizeof cfg);
    cfg.pin_pwdn = p[0];
    cfg.pin_reset = p[1];
    cfg.pin_xclk = p[2];
    cfg.pin_sccb_sda = p[3];
    cfg.pin_sccb_scl = p[4];
    cfg.pin_d0 = p[5];
    cfg.pin_d1 = p[6];
    cfg.pin_d2 = p[7];
    cfg.pin_d3 = p[8];
    cfg.pin_d4 = p[9];
    cfg.pin_d5 = p[10];
    cfg.pin_d6 = p[11];
    cfg.pin_d7 = p[12];
    cfg.pin_vsync = p[13];
    cfg.pin_href = p[14];
    cfg.pin_pclk = p[15];
    cfg.xclk_freq_hz = c->xclk_hz;
    cfg.ledc_timer = LEDC_TIMER_0;
    cfg.ledc_channel = LEDC_CHANNEL_0;
    cfg.pixel_format = c->format == NN_CAMERA_FORMAT_RGB565 ? PIXFORMAT_RGB565 : PIXFORMAT_GRAYSCALE;
    cfg.frame_size = frame_size(c);
    cfg.jpeg_quality = 12;
    cfg.fb_count = 1;
    cfg.fb_location = CAMERA_FB_IN_PSRAM;
    cfg.grab_mode = CAMERA_GRAB_LATEST;
    return esp_camera_init(&cfg) == ESP_OK ? 0 : 1;
}

static int cam_capture(void *user, uint8_t *dst, size_t size)
{
    camera_fb_t *fb;
    int result = 1;
    (void)user;
    fb = esp_camera_fb_get();
    if (fb == NULL) {
        return 1;
    }
    if (fb->len == size) {
        memcpy(dst, fb->buf, size);
        result = 0;
    }
    esp_camera_fb_return(fb);
    return result;
}

static void cam_deinit(void *user)
{
    (void)user;
    esp_camera_deinit();
}

const nn_interop_camera_ops *nanonet_camera_esp32_ops(void)
{
    static const nn_interop_camera_ops ops = {cam_init, cam_capture, cam_deinit};
    return &ops;
}
