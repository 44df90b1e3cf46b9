/**
 * Binary-cache vectors of nix-compat.md 11.5 and 13.8, recorded from real
 * Nix 2.8 (`nix copy --to 'file://…?compression=none&secret-key=…'`).
 */

export const TEST_SECRET_KEY =
  'nixspec-test-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8DoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA==';
export const TEST_PUBLIC_KEY = 'nixspec-test-1:A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=';

export const NARINFO_F1 = `StorePath: /nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt
URL: nar/14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd.nar
Compression: none
FileHash: sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd
FileSize: 128
NarHash: sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd
NarSize: 128
References: 
Sig: nixspec-test-1:FMV1kmqwHpEKgiRge0ED3F9p8KmeKJhbLJ3emdoVvQdoA2JjvblPjA9HdPPyUecoyRUWhRYQVuXU9bqbDwzADw==
CA: fixed:r:sha256:14ml5q1qvx7y3d0n2d1n0j2gdj4s0z54pfj6iwvgnn038ipybsgd
`;

export const NARINFO_REF2 = `StorePath: /nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt
URL: nar/0a2kl19pr7lgl480jjfjg0nv58vwi1rv9wx3rs22c0d1pcbs25rw.nar
Compression: none
FileHash: sha256:0a2kl19pr7lgl480jjfjg0nv58vwi1rv9wx3rs22c0d1pcbs25rw
FileSize: 224
NarHash: sha256:0a2kl19pr7lgl480jjfjg0nv58vwi1rv9wx3rs22c0d1pcbs25rw
NarSize: 224
References: 2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh
Sig: nixspec-test-1:uxQrh6hn5WWUJjJ64IBL0hSa5F1XWJwzijycUJ2xUHsTtRI5whbb19F1kmjSdB1KxcEX+oX5gWwWdwv8mp/0AQ==
CA: text:sha256:0p8hsczakx3y4kgs5vjkg6vp4dqc63364fxw1d6f4skrl3vnfr47
`;

export const NARINFO_PROFILE = `StorePath: /nix/store/szb20r8nz15vbncgwf5ma0dzdsxaaigv-profile
URL: nar/1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q.nar
Compression: none
FileHash: sha256:1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q
FileSize: 2000
NarHash: sha256:1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q
NarSize: 2000
References: l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0 vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0
Sig: nixspec-test-1:QSsTl0i2BGEk10+I5AFU1ZJfEGNma1HeZ6pfKXYEb1fkrWndanpl/AdAEZqSfsr+Y1uhzEOyq0J64YU3YkK3Cw==
CA: fixed:r:sha256:1240217g0cnfgrzpwq71rxbi3kmc26q6sls1qalb6min1rmq1m8q
`;

export const NARINFO_USER_ENV = `StorePath: /nix/store/rc5y1f6260fd1niw8yxsj9c7j4lkq2gv-user-environment
URL: nar/0dgncpripw5zrs0bzmw4wgni6s021lxqw7lszmg31xkgaz0dbspq.nar
Compression: none
FileHash: sha256:0dgncpripw5zrs0bzmw4wgni6s021lxqw7lszmg31xkgaz0dbspq
FileSize: 1864
NarHash: sha256:0dgncpripw5zrs0bzmw4wgni6s021lxqw7lszmg31xkgaz0dbspq
NarSize: 1864
References: 5d8mxw9k2mpbqzjj545r7h51c22yyhiw-env-manifest.nix l5y46b8p9il518p7jhl4nnsh86xlry98-pkgb-2.0 vakjq8iw060mbdsy1y8x2ml3l3wx64gr-pkga-1.0
Deriver: n0d8vid0b9054diiy9kzni9kk02my6sd-user-environment.drv
Sig: nixspec-test-1:a1pCjaupJ+hZ7g4sGl0lE7z8XwzYwZl1zkbJdRqm8CMBmnG2jix5b8tzPXbZeo5Pfsb0s08FIDTk8xr/MwyzAA==
`;

export const NARINFO_VECTORS = { F1: NARINFO_F1, ref2: NARINFO_REF2, profile: NARINFO_PROFILE, userEnv: NARINFO_USER_ENV } as const;

/** Signatures of 13.8 for paths whose narinfo is not listed in full: fixture name → base64. */
export const SIGNATURES: Readonly<Record<string, string>> = {
  'run.sh': 'wAx7eKhvfr2g2ANgKJUrlXiVyOUFnePdTXgqbPccXCyupWdhOadhZG/Q6yLwSTh0PCI9CYpQKhgCnCsvZGstDA==',
  'pkga-1.0': '9zTpyPH/psffbGkp4+BjVOOGsvMpSuFxeoY8xaAEV3y0b65xHfXhl0Zv4FCtfU+CUzStFKrGXH94+GyFfkOWBQ==',
  'pkgb-2.0': 'XL3SwK8rM9ZLHWKjXwsCi27uBFQPDtOWWqVMRm4SU9gzemA5hTVycM6tfm8vzEs+09u2uyS/2tj/mhLYLkpCDQ==',
};

export const REF2_FINGERPRINT =
  '1;/nix/store/pldvghqwd8bk4gnyvxy7p0jqqi4b8zsp-ref2.txt;sha256:0a2kl19pr7lgl480jjfjg0nv58vwi1rv9wx3rs22c0d1pcbs25rw;224;/nix/store/2xr781z591fm9c9jchvf8389sr8qsszk-hello.txt,/nix/store/hgl6cwhlhzpznapan2nfnls2nyyv4lqb-run.sh';
