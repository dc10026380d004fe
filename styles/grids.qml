<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology|Labeling|Fields" labelsEnabled="1">
  <renderer-v2 type="graduatedSymbol" attr="deviation" graduatedMethod="GraduatedColor" forceraster="0" symbollevels="0" enableorderby="0">
    <ranges>
      <range lower="-1000000" upper="-25" label="户数明显偏少 far below target (&lt; −25%)" symbol="0" render="true"/>
      <range lower="-25" upper="-10" label="户数偏少 below target (−25% … −10%)" symbol="1" render="true"/>
      <range lower="-10" upper="10" label="接近目标 near target (±10%)" symbol="2" render="true"/>
      <range lower="10" upper="25" label="户数偏多 above target (+10% … +25%)" symbol="3" render="true"/>
      <range lower="25" upper="1000000" label="户数明显偏多 far above target (&gt; +25%)" symbol="4" render="true"/>
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="43,131,186,120"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="171,217,233,120"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="166,217,106,120"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="253,174,97,120"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="color" type="QString" value="215,25,28,120"/>
            <Option name="outline_color" type="QString" value="40,40,40,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="0.5"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="style" type="QString" value="solid"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
    <classificationMethod id="Fixed"/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="&quot;code&quot; || '\n' || format_number(&quot;households&quot;, 0) || ' 户'" isExpression="1" fontSize="8" fontSizeUnit="Point" textColor="30,30,30,255" textOpacity="1" multilineHeight="1" fontWeight="50" namedStyle="Regular">
        <text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="0" plussign="0"/>
      <placement placement="1" dist="1" distUnits="MM" offsetType="0" priority="5" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" centroidInside="1" centroidWhole="0" fitInPolygonOnly="0"/>
      <rendering drawLabels="1" obstacle="1" obstacleType="1" displayAll="0" upsidedownLabels="0" scaleVisibility="0" fontLimitPixelSize="0" limitNumLabels="0" maxNumLabels="2000" mergeLines="0" minFeatureSize="0" labelPerPart="0" zIndex="0"/>
    </settings>
  </labeling>
  <aliases>
    <alias index="0" field="code" name="网格编码 grid code (15 digits)"/>
    <alias index="1" field="comm_code" name="社区代码 community code"/>
    <alias index="2" field="comm_name" name="社区名称 community name"/>
    <alias index="3" field="st_code" name="街道代码 street code"/>
    <alias index="4" field="st_name" name="街道名称 street name"/>
    <alias index="5" field="households" name="户数 households"/>
    <alias index="6" field="population" name="人口 population"/>
    <alias index="7" field="buildings" name="建筑数 buildings"/>
    <alias index="8" field="area_m2" name="面积（平方米） area (m²)"/>
    <alias index="9" field="polsby_pp" name="紧凑度（Polsby-Popper） compactness (Polsby-Popper)"/>
    <alias index="10" field="blk_split" name="被拆分街区数 road blocks split"/>
    <alias index="11" field="in_band" name="户数在规定区间内 households within band (1 = yes)"/>
    <alias index="12" field="target" name="目标户数 target households"/>
    <alias index="13" field="deviation" name="与目标户数偏差（%） deviation from target (%)"/>
    <alias index="14" field="hh_est" name="含估算户数 contains estimated households (1 = yes)"/>
    <alias index="15" field="dedicated" name="专属网格 dedicated grid (1 = yes)"/>
    <alias index="16" field="derived" name="临时社区（派生） community is provisional, derived (1 = yes)"/>
    <alias index="17" field="leader" name="网格长 grid leader"/>
    <alias index="18" field="instructor" name="网格指导员 grid instructor"/>
    <alias index="19" field="worker" name="专职网格员 full-time grid worker"/>
    <alias index="20" field="n_part" name="兼职网格员及志愿者（N） part-time workers and volunteers (N)"/>
  </aliases>
</qgis>
