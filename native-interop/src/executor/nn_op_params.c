/*
 * nn_op_params.c - kernel parameter structs from op record bodies (offsets: nn_format.h).
 * The model reader has validated every body, so these only load and convert.
 */
#include "nn_op_params.h"

#include "../model/nn_model_internal.h"

void nn_op_conv_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_conv_params *p)
{
    p->stride_h = (int32_t)nn_ld_u8(body + 2);
    p->stride_w = (int32_t)nn_ld_u8(body + 3);
    p->dilation_h = (int32_t)nn_ld_u8(body + 4);
    p->dilation_w = (int32_t)nn_ld_u8(body + 5);
    p->pad_top = (int32_t)nn_ld_u8(body + 6);
    p->pad_left = (int32_t)nn_ld_u8(body + 7);
    p->depth_multiplier = (int32_t)nn_ld_u16(body + 8);
    p->input_offset = -zp_in;
    p->output_offset = zp_out;
    p->act_min = nn_ld_i8(body + 12);
    p->act_max = nn_ld_i8(body + 13);
}

void nn_op_conv_filter_dims(const uint8_t *body, int depthwise, const nn_dims *in, const nn_dims *out, nn_dims *f)
{
    f->n = depthwise ? 1 : out->c;
    f->h = (int32_t)nn_ld_u8(body + 0);
    f->w = (int32_t)nn_ld_u8(body + 1);
    f->c = depthwise ? out->c : in->c;
}

void nn_op_fc_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_fc_params *p)
{
    p->input_offset = -zp_in;
    p->output_offset = zp_out;
    p->act_min = nn_ld_i8(body + 0);
    p->act_max = nn_ld_i8(body + 1);
}

void nn_op_pool_params(const uint8_t *body, nn_pool_params *p)
{
    p->filter_h = (int32_t)nn_ld_u8(body + 0);
    p->filter_w = (int32_t)nn_ld_u8(body + 1);
    p->stride_h = (int32_t)nn_ld_u8(body + 2);
    p->stride_w = (int32_t)nn_ld_u8(body + 3);
    p->pad_top = (int32_t)nn_ld_u8(body + 4);
    p->pad_left = (int32_t)nn_ld_u8(body + 5);
    p->act_min = nn_ld_i8(body + 6);
    p->act_max = nn_ld_i8(body + 7);
}

void nn_op_mean_params(const uint8_t *body, int32_t zp_in, int32_t zp_out, nn_mean_params *p)
{
    p->input_offset = -zp_in;
    p->output_offset = zp_out;
    p->multiplier = nn_ld_i32(body + 0);
    p->shift = nn_ld_i8(body + 4);
}

void nn_op_softmax_params(const uint8_t *body, nn_softmax_params *p)
{
    p->input_multiplier = nn_ld_i32(body + 0);
    p->input_left_shift = nn_ld_i32(body + 4);
    p->diff_min = nn_ld_i32(body + 8);
}

void nn_op_add_params(const uint8_t *body, int32_t zp_in1, int32_t zp_in2, int32_t zp_out, nn_add_params *p)
{
    p->input1_offset = -zp_in1;
    p->input2_offset = -zp_in2;
    p->output_offset = zp_out;
    p->left_shift = nn_ld_i32(body + 0);
    p->input1_multiplier = nn_ld_i32(body + 4);
    p->input1_shift = nn_ld_i32(body + 8);
    p->input2_multiplier = nn_ld_i32(body + 12);
    p->input2_shift = nn_ld_i32(body + 16);
    p->output_multiplier = nn_ld_i32(body + 20);
    p->output_shift = nn_ld_i32(body + 24);
    p->act_min = nn_ld_i8(body + 28);
    p->act_max = nn_ld_i8(body + 29);
}

void nn_op_pad_params(const uint8_t *body, int32_t zp_out, nn_pad_params *p)
{
    uint32_t k;
    for (k = 0; k < 4; k++) {
        p->before[k] = (int32_t)nn_ld_u16(body + 2 * k);
        p->after[k] = (int32_t)nn_ld_u16(body + 8 + 2 * k);
    }
    p->pad_value = (int8_t)zp_out; /* validated in [-128, 127] */
}
