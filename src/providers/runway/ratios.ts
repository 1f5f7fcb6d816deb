// Runway takes `ratio` as an output size in pixels ("1280:720"), and each model accepts its own
// list. Source: the generated request types of the official SDK, runwayml/sdk-node
// (src/resources/{text-to-image,image-to-video,text-to-video}.ts, release 4.12.0, API version
// 2024-11-06). Models not listed here get no ratio mapping (the request carries the caller's value
// only when it is already a pixel size).

const GEN4_VIDEO = ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'];
const VEO = ['1280:720', '720:1280', '1080:1920', '1920:1080'];
const SEEDANCE_720 = ['992:432', '864:496', '752:560', '640:640', '560:752', '496:864', '1470:630', '1280:720', '1112:834', '960:960', '834:1112', '720:1280'];
const SEEDANCE_FULL = [...SEEDANCE_720, '2206:946', '1920:1080', '1664:1248', '1440:1440', '1248:1664', '1080:1920', '3840:1646', '3840:2160', '3840:2880', '3840:3840', '2880:3840', '2160:3840'];
const GEN4_IMAGE = ['1024:1024', '1080:1080', '1168:880', '1360:768', '1440:1080', '1080:1440', '1808:768', '1920:1080', '1080:1920', '2112:912', '1280:720', '720:1280', '720:720', '960:720', '720:960', '1680:720'];
const GEMINI_25_IMAGE = ['1344:768', '768:1344', '1024:1024', '1184:864', '864:1184', '1536:672', '832:1248', '1248:832', '896:1152', '1152:896'];
const GEMINI_3_PRO_IMAGE = [...GEMINI_25_IMAGE, '2048:2048', '1696:2528', '2528:1696', '1792:2400', '2400:1792', '1856:2304', '2304:1856', '1536:2752', '2752:1536', '3168:1344', '4096:4096', '3392:5056', '5056:3392', '3584:4800', '4800:3584', '3712:4608', '4608:3712', '3072:5504', '5504:3072', '6336:2688'];
const GPT_IMAGE_2 = ['2048:880', '1920:1088', '1920:1280', '1920:1440', '1920:1536', '1920:1920', '1536:1920', '1440:1920', '1280:1920', '1088:1920', '2912:1248', '2560:1440', '2560:1712', '2560:1920', '2560:2048', '2560:2560', '2048:2560', '1920:2560', '1712:2560', '1440:2560', '3840:1648', '3840:2160', '3504:2336', '3264:2448', '3200:2560', '2880:2880', '2560:3200', '2448:3264', '2336:3504', '2160:3840'];
const SEEDREAM_5_PRO = ['1024:1024', '1184:896', '896:1184', '1376:768', '768:1376', '1296:864', '864:1296', '2048:2048', '2304:1728', '1728:2304', '2720:1530', '1530:2720', '2496:1664', '1664:2496'];
const SEEDREAM_5_LITE = ['2048:2048', '2304:1728', '1728:2304', '2848:1600', '1600:2848', '2496:1664', '1664:2496', '3136:1344', '3072:3072', '3456:2592', '2592:3456', '4096:2304', '2304:4096', '3744:2496', '2496:3744', '4704:2016'];

export type RunwayEndpoint = 'v1/text_to_image' | 'v1/image_to_video' | 'v1/text_to_video';

export const RUNWAY_RATIOS: Readonly<Record<RunwayEndpoint, Readonly<Record<string, readonly string[]>>>> = {
  'v1/image_to_video': {
    'gen4.5': GEN4_VIDEO,
    gen4_turbo: GEN4_VIDEO,
    'veo3.1': VEO,
    'veo3.1_fast': VEO,
    veo3: VEO,
    seedance2: SEEDANCE_FULL,
    seedance2_fast: SEEDANCE_720,
    seedance2_mini: SEEDANCE_720,
    gemini_omni_flash: ['1280:720', '720:1280'],
  },
  'v1/text_to_video': {
    'gen4.5': ['1280:720', '720:1280'],
    'veo3.1': VEO,
    'veo3.1_fast': VEO,
    veo3: VEO,
    happyhorse_1_0: ['1280:720', '720:1280', '960:960', '1108:832', '832:1108', '1920:1080', '1080:1920', '1440:1440', '1662:1248', '1248:1662'],
    seedance2: SEEDANCE_FULL,
    seedance2_fast: SEEDANCE_720,
    seedance2_mini: SEEDANCE_720,
    gemini_omni_flash: ['1280:720', '720:1280'],
  },
  'v1/text_to_image': {
    gen4_image: GEN4_IMAGE,
    gen4_image_turbo: GEN4_IMAGE,
    gpt_image_2: GPT_IMAGE_2,
    'gemini_2.5_flash': GEMINI_25_IMAGE,
    gemini_image3_pro: GEMINI_3_PRO_IMAGE,
    seedream5_pro: SEEDREAM_5_PRO,
    seedream5_lite: SEEDREAM_5_LITE,
  },
};

/** Models whose request type has `seed` (others reject unknown fields). */
export const RUNWAY_SEED_MODELS: ReadonlySet<string> = new Set(['gen4.5', 'gen4_turbo', 'gen4_image', 'gen4_image_turbo']);
/** Models whose request type has `audio`. */
export const RUNWAY_AUDIO_MODELS: ReadonlySet<string> = new Set(['veo3.1', 'veo3.1_fast', 'seedance2', 'seedance2_fast', 'seedance2_mini']);
/** Image models whose request type has `outputCount`. */
export const RUNWAY_OUTPUT_COUNT_MODELS: ReadonlySet<string> = new Set(['gpt_image_2', 'gemini_image3_pro', 'gemini_image3.1_flash', 'seedream5_pro', 'seedream5_lite']);
/** Image models whose request type has `outputFormat` ('png' | 'jpeg'). */
export const RUNWAY_OUTPUT_FORMAT_MODELS: ReadonlySet<string> = new Set(['seedream5_pro', 'seedream5_lite']);
/** Video models whose request type has `negativePrompt`. */
export const RUNWAY_NEGATIVE_PROMPT_MODELS: ReadonlySet<string> = new Set(['veo3.1', 'veo3.1_fast', 'veo3']);
