/** The app setting that holds the config: its name alone, so that reading it loads no schema (the CLI's start-up). */
export const CONFIG_SETTING = 'APIM_DR_CONFIG';
